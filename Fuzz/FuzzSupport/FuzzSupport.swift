/// Runs libFuzzer with this process's arguments, calling `body` for every input it makes up.
///
/// SwiftPM gives an executable target its own `main` (`main.swift`), and `-sanitize=fuzzer` links libFuzzer's
/// `main` too; whichever the linker keeps, the inputs reach `body`: ours starts libFuzzer's driver with it, and
/// libFuzzer's calls `LLVMFuzzerTestOneInput` below, which forwards to it.
public func runFuzzer(_ body: @escaping @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    target = body
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, body))
}

/// The input as an array (empty for a null pointer).
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// The target's body, set before libFuzzer runs; one fuzzing thread reads it.
nonisolated(unsafe) private var target: (@convention(c) (UnsafePointer<UInt8>?, Int) -> CInt)?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    target?(data, size) ?? 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_silgen_name("exit")
func exit(_ status: CInt) -> Never
