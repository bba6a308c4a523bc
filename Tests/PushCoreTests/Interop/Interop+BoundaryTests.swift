import Foundation
import Testing

/// Keeps C where it belongs: outside `Sources/PushCore/Interop/` and `Sources/PushMock/`, no Swift file imports one
/// of the project's C modules or calls raw libc I/O (the EINTR loops, `errno`, `strerror` and `poll` live in
/// `FileDescriptor`, `FileIO` and `PollSet`).
@Suite("Interop boundary: C modules and raw libc I/O only in Interop/ and PushMock/")
struct InteropBoundaryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let allowedFolders = ["Sources/PushCore/Interop/", "Sources/PushMock/"]

    /// `import Glibc` outside Interop, each for one non-I/O C function (and what it is for).
    static let glibcImports: [String: String] = [
        "Sources/PushCore/Model/Clock.swift": "clock_gettime",
        "Sources/PushCore/Auth/ProviderTokenSource.swift": "clock_gettime",
        "Sources/PushCore/HTTP2/APNsResponse.swift": "memcmp",
        "Sources/PushCore/Input/JSONLReader.swift": "memchr",
    ]

    /// What a line must not contain (comments and string literals removed first).
    static let forbidden: [(what: String, pattern: String)] = [
        ("a C module import", #"^\s*import\s+(CNGHTTP2|COpenSSL|CZlib|CBuildStamp)\b"#),
        ("a libc module qualifier", #"\b(Glibc|Darwin)\."#),
        ("errno", #"(?<![\w.])errno\b(?!\s*:)"#),
        ("an EINTR check", #"\bEINTR\b"#),
        ("poll", #"(?<![\w.])poll\(|\bpollfd\b"#),
        ("a raw file call", #"(?<![\w.])(strerror|fsync|fdatasync|pread|pwrite|ftruncate|fstat|lseek|unlink|fchmod|access|stat|rename)\("#),
    ]

    static func swiftFiles() throws -> [String] {
        let sources = root.appendingPathComponent("Sources")
        let enumerator = try #require(FileManager.default.enumerator(atPath: sources.path))
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.map { "Sources/" + $0 }.sorted()
    }

    /// ICU's regular expressions (Swift's own `Regex` has no lookbehind).
    static func matches(_ pattern: String, _ text: String) throws -> Bool {
        let regex = try NSRegularExpression(pattern: pattern)
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The line without its `//` comment and with string literals emptied.
    static func code(_ line: String) throws -> String {
        let literal = try NSRegularExpression(pattern: #""(?:[^"\\]|\\.)*""#)
        var text = literal.stringByReplacingMatches(in: line, range: NSRange(line.startIndex..., in: line), withTemplate: "\"\"")
        if let comment = text.firstRange(of: "//") { text = String(text[..<comment.lowerBound]) }
        return text
    }

    static func violations(in path: String, text: String) throws -> [String] {
        var found: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let code = try code(String(line))
            for rule in forbidden where try matches(rule.pattern, code) {
                found.append("\(path):\(number + 1): \(rule.what): \(line.trimmingCharacters(in: .whitespaces))")
            }
            if try matches(#"^\s*import\s+(Glibc|Darwin)\b"#, code), glibcImports[path] == nil {
                found.append("\(path):\(number + 1): imports the C library outside Interop/")
            }
        }
        return found
    }

    @Test("no file outside Interop/ and PushMock/ imports a C module or calls raw libc I/O")
    func boundary() throws {
        let files = try Self.swiftFiles()
        #expect(files.count > 100)   // the scan found the sources
        var found: [String] = []
        for path in files where !Self.allowedFolders.contains(where: { path.hasPrefix($0) }) {
            let text = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
            found += try Self.violations(in: path, text: text)
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test("the scan catches each kind of violation, and not method calls, comments or strings",
          arguments: [
              ("import CNGHTTP2", 1), ("let n = Glibc.read(fd, p, 10)", 1), ("if errno == EINTR { continue }", 2),
              ("while poll(&fds, 2, -1) < 0 {}", 1), ("guard fsync(fd) == 0 else { return }", 1),
              ("_ = unlink(temporary)", 1), ("import Glibc", 1),
              ("try write(&pending)", 0), ("throw FileIOError(path: p, operation: \"x\", errno: code)", 0),
              ("let code = error.errno", 0), ("// errno and poll( in a comment", 0), ("log(\"poll(\")", 0),
              ("pollSet.wait(timeoutMs: 10)", 0),
          ] as [(String, Int)])
    func scanner(line: String, expected: Int) throws {
        #expect(try Self.violations(in: "Sources/PushCore/Report/Example.swift", text: line).count == expected)
    }

    @Test("the listed libc imports are still there (a stale entry is removed from the list)")
    func allowListCurrent() throws {
        for (path, function) in Self.glibcImports {
            let text = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
            #expect(text.contains("import Glibc"), "\(path)")
            #expect(text.contains(function + "("), "\(path) no longer calls \(function)")
        }
    }
}
