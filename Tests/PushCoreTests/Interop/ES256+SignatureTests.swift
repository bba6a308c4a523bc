import Testing
@testable import PushCore

@Suite("ES256 signatures")
struct ES256SignatureTests {
    @Test("a signature verifies with the public key and fails after flipping one byte")
    func signAndVerify() throws {
        let key = try ES256PrivateKey.generate()
        let publicKey = try key.publicKey()
        let message = Array("eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJURUFNIn0".utf8)
        let signature = try key.sign(message)
        #expect(publicKey.verify(signature: signature, message: message))

        for index in [0, 31, 32, 63] {
            var tampered = signature
            tampered[index] ^= 0x01
            #expect(!publicKey.verify(signature: tampered, message: message), "flipped byte \(index)")
        }
        var otherMessage = message
        otherMessage[0] ^= 0x20
        #expect(!publicKey.verify(signature: signature, message: otherMessage))
        #expect(!publicKey.verify(signature: Array(signature.prefix(63)), message: message))
    }

    @Test("another key's public half rejects the signature")
    func wrongKey() throws {
        let signer = try ES256PrivateKey.generate()
        let other = try ES256PrivateKey.generate().publicKey()
        let message = Array("hello".utf8)
        #expect(!other.verify(signature: try signer.sign(message), message: message))
    }

    @Test("1000 signatures are all exactly 64 bytes and verify, including left-padded components")
    func padding() throws {
        let key = try ES256PrivateKey.generate()
        let publicKey = try key.publicKey()
        var padded = 0
        for i in 0..<1000 {
            let message = Array("message \(i)".utf8)
            let signature = try key.sign(message)
            #expect(signature.count == 64)
            if signature[0] == 0 || signature[32] == 0 { padded += 1 }
            if i % 10 == 0 || signature[0] == 0 || signature[32] == 0 {
                #expect(publicKey.verify(signature: signature, message: message))
            }
        }
        // About 1 in 128 signatures has a leading zero byte in r or s; none in 1000 would mean the
        // padding is lost (a 31-byte component shifted left). P(0 of 1000) ≈ e^-7.8.
        #expect(padded > 0)
    }

    @Test("raw ↔ DER conversion round-trips and handles leading zeros and high bits")
    func derConversion() throws {
        var raw = [UInt8](repeating: 0, count: 64)
        raw[1] = 0x7F; raw[31] = 1           // r = 0x7F...01 with a leading zero byte
        raw[32] = 0x80; raw[63] = 2          // s with its high bit set (DER adds a 0x00)
        let der = try #require(ES256Signature.der(fromRaw: raw))
        #expect(der[0] == 0x30)
        #expect(der[2] == 0x02 && der[3] == 31)            // r encoded in 31 bytes
        #expect(der[4 + 31] == 0x02 && der[5 + 31] == 33)  // s encoded in 33 bytes
        #expect(ES256Signature.raw(fromDER: der) == raw)

        #expect(ES256Signature.der(fromRaw: Array(raw.prefix(63))) == nil)
        #expect(ES256Signature.raw(fromDER: der + [0]) == nil, "trailing bytes")
        #expect(ES256Signature.raw(fromDER: Array(der.dropLast())) == nil, "truncated")
        #expect(ES256Signature.raw(fromDER: []) == nil)
    }

    @Test("DER signatures verify through verify(derSignature:)")
    func derVerify() throws {
        let key = try ES256PrivateKey.generate()
        let message = Array("payload".utf8)
        let raw = try key.sign(message)
        let der = try #require(ES256Signature.der(fromRaw: raw))
        #expect(try key.publicKey().verify(derSignature: der, message: message))
        #expect(!(try key.publicKey().verify(derSignature: der, message: Array("other".utf8))))
    }

    @Test("one key signs from several threads at once")
    func concurrentSigning() async throws {
        let key = try ES256PrivateKey.generate()
        let publicKey = try key.publicKey()
        let failures = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<4 {
                group.addTask {
                    var failures = 0
                    for i in 0..<100 {
                        let message = Array("task \(task) message \(i)".utf8)
                        if !publicKey.verify(signature: try key.sign(message), message: message) { failures += 1 }
                    }
                    return failures
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(failures == 0)
    }

    @Test("OpenSSLError.drain empties the queue into one message")
    func errorQueue() throws {
        #expect(throws: ES256KeyError.self) {
            try ES256PrivateKey(pem: Array("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".utf8))
        }
        // The failed load drained its own errors.
        #expect(OpenSSLError.drain("afterwards").entries.isEmpty)
        let error = OpenSSLError(context: "loading", entries: ["error:1", "error:2"])
        #expect(error.description == "loading: error:1; error:2")
        #expect(OpenSSLError(context: "loading", entries: []).description == "loading")
    }
}
