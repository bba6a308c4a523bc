import Foundation

/// Placeholder for `apnsctl send`; the real implementation replaces this file.
func runSend(_ options: SendOptions) -> Int32 {
    FileHandle.standardError.write(Data("apnsctl: send is not wired yet\n".utf8))
    return 3
}
