import Foundation
import Testing
@testable import PushCore

@Suite("Waker and signals")
struct WakerSignalTests {
    /// Whether `signo` is blocked on the calling thread.
    static func isBlocked(_ signo: Int32) -> Bool {
        var current = sigset_t()
        pthread_sigmask(SIG_BLOCK, nil, &current)
        return sigismember(&current, signo) == 1
    }

    @Test("wakeOnSignals unblocks an inherited blocked signal, so the signal wakes the waker")
    func unblocksInheritedMask() {
        // SIGUSR2: nothing else in the test process uses it. A thread of its own, whose mask starts blocked like a
        // process spawned by a parent that blocks every signal (the mock under `swift test` never saw SIGTERM).
        let signo = SIGUSR2
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var blockedBefore = false, blockedAfter = true, woken = false, wokenEarly = true
        let thread = Thread {
            var block = sigset_t()
            sigemptyset(&block)
            sigaddset(&block, signo)
            pthread_sigmask(SIG_BLOCK, &block, nil)
            blockedBefore = Self.isBlocked(signo)
            let waker = Waker()
            waker.wakeOnSignals([signo])
            blockedAfter = Self.isBlocked(signo)
            wokenEarly = waker.isWoken
            pthread_kill(pthread_self(), signo)   // delivered to this thread before pthread_kill returns
            woken = waker.isWoken
            signal(signo, SIG_IGN)
            done.signal()
        }
        thread.start()
        #expect(done.wait(timeout: TestTime.deadline(10)) == .success)
        #expect(blockedBefore)
        #expect(!blockedAfter)
        #expect(!wokenEarly)
        #expect(woken)
    }
}
