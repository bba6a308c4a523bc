import Foundation
import Testing
@testable import apnsctl

@Suite("Exit status table")
struct ExitStatusTableTests {
    @Test("The numbers are the documented contract")
    func numbers() {
        #expect(ExitStatus.allCases.map(\.rawValue) == [0, 1, 2, 3, 130, 143])
        #expect(ExitStatus.success.rawValue == 0)
        #expect(ExitStatus.undelivered.rawValue == 1)
        #expect(ExitStatus.usage.rawValue == 2)
        #expect(ExitStatus.fatal.rawValue == 3)
        #expect(ExitStatus.interrupted.rawValue == 128 + 2)   // SIGINT
        #expect(ExitStatus.terminated.rawValue == 128 + 15)   // SIGTERM
    }

    @Test("Every status has a distinct meaning")
    func meanings() {
        let meanings = ExitStatus.allCases.map(\.meaning)
        #expect(Set(meanings).count == meanings.count)
        #expect(meanings.allSatisfy { $0.count > 20 && $0.hasSuffix(".") })
    }

    @Test("Help of send and mock, the overview and the man page all show the table")
    func shown() {
        let man = ManPageRenderer.render()
        let section = man.components(after: ".SH \"EXIT STATUS\"")
        for status in ExitStatus.allCases {
            for text in [HelpRenderer.overview(), HelpRenderer.help(for: .send), HelpRenderer.help(for: .mock)] {
                #expect(text.contains("\n  \(status.rawValue) "))
            }
            #expect(section.contains(".TP\n\\fB\(status.rawValue)\\fR\n"))
        }
    }
}

extension String {
    /// The text after the first occurrence of `marker` (empty when absent).
    func components(after marker: String) -> Substring {
        guard let range = range(of: marker) else { return "" }
        return self[range.upperBound...]
    }
}
