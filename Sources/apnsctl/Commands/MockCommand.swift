import Foundation

/// Placeholder for `apnsctl mock`; the real implementation replaces this file.
func runMock(_ options: MockOptions) -> Int32 {
    FileHandle.standardError.write(Data("apnsctl: mock is not wired yet\n".utf8))
    return 3
}
