import Foundation
@testable import PushCore

/// A TCP relay on 127.0.0.1 in front of a server. Its first connection goes silent after forwarding
/// `freezeAfterBytes` bytes from the server: from then on nothing passes either way, but the sockets stay open
/// (a peer that "stops answering": no error, no FIN, no GOAWAY). Later connections pass everything.
final class FreezingRelay: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let upstreamPort: Int
    private let freezeAfterBytes: Int
    private let stopper = Waker()
    private let done = DispatchSemaphore(value: 0)

    private struct Pair {
        var client: Int32
        var server: Int32
        var frozen = false
        var freezes: Bool
        var forwardedFromServer = 0
    }

    init(upstreamPort: Int, freezeAfterBytes: Int) throws {
        let (fd, port) = try Socket.listen(host: "127.0.0.1", port: 0)
        self.listener = fd
        self.port = port
        self.upstreamPort = upstreamPort
        self.freezeAfterBytes = freezeAfterBytes
        let thread = Thread { [self] in loop() }
        thread.start()
    }

    func stop() {
        stopper.wake()
        _ = done.wait(timeout: TestTime.deadline(5))
    }

    private func loop() {
        var pairs: [Pair] = []
        var accepted = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        outer: while true {
            var fds = [pollfd(fd: stopper.readFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            for pair in pairs where !pair.frozen {
                fds.append(pollfd(fd: pair.client, events: Int16(POLLIN), revents: 0))
                fds.append(pollfd(fd: pair.server, events: Int16(POLLIN), revents: 0))
            }
            _ = poll(&fds, nfds_t(fds.count), 100)
            if fds[0].revents != 0 { break }
            if fds[1].revents != 0, let client = Socket.accept(listener),
               let server = try? Socket.connect(host: "127.0.0.1", port: upstreamPort, timeoutMs: 2000) {
                accepted += 1
                pairs.append(Pair(client: client, server: server, freezes: accepted == 1))
            }
            var index = 2
            for p in pairs.indices where !pairs[p].frozen {
                for (from, to, fromServer) in [(pairs[p].client, pairs[p].server, false),
                                               (pairs[p].server, pairs[p].client, true)] {
                    defer { index += 1 }
                    guard index < fds.count, fds[index].revents != 0, !pairs[p].frozen else { continue }
                    let n = read(from, &buffer, buffer.count)
                    if n <= 0 { continue }
                    writeAll(to, buffer, n)
                    if fromServer && pairs[p].freezes {
                        pairs[p].forwardedFromServer += n
                        if pairs[p].forwardedFromServer >= freezeAfterBytes { pairs[p].frozen = true }
                    }
                }
            }
            continue outer
        }
        for pair in pairs {
            Socket.close(pair.client)
            Socket.close(pair.server)
        }
        Socket.close(listener)
        done.signal()
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8], _ count: Int) {
        var offset = 0
        while offset < count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, count - offset) }
            if n > 0 {
                offset += n
            } else {
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                if poll(&pfd, 1, 1000) <= 0 { return }
            }
        }
    }
}
