import COpenSSL
import Glibc

/// Keeps secrets out of core files. Once a private key, a certificate's key or a provider token is in memory, a
/// crash would write them to a core file (and a debugger of the same user could read them): `disable()` sets the
/// core size limit to zero and marks the process not dumpable.
package enum CoreDumps {
    /// Turns core dumps off for the rest of the process. Returns a message when the kernel refused, else nil.
    @discardableResult
    package static func disable() -> String? {
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        var problems: [String] = []
        if setrlimit(RLIMIT_CORE_VALUE, &none) != 0 { problems.append("RLIMIT_CORE: \(FileIO.message(errno))") }
        if apnsctl_set_not_dumpable() != 0 { problems.append("PR_SET_DUMPABLE: \(FileIO.message(errno))") }
        return problems.isEmpty ? nil : "cannot turn core dumps off (" + problems.joined(separator: ", ") + ")"
    }

    /// True while the process may still dump core (the kernel's dumpable flag is set).
    package static var dumpable: Bool { apnsctl_is_dumpable() != 0 }

    /// The soft core size limit, in bytes (`RLIM_INFINITY` for none).
    package static var limit: UInt {
        var current = rlimit()
        getrlimit(RLIMIT_CORE_VALUE, &current)
        return UInt(current.rlim_cur)
    }

    /// `RLIMIT_CORE` imports as an enum case on glibc; setrlimit wants its raw value.
    private static var RLIMIT_CORE_VALUE: __rlimit_resource_t { __rlimit_resource_t(RLIMIT_CORE.rawValue) }
}
