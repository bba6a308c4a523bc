import PushCore
import Testing
@testable import PushMock

@Suite("ChannelValidator: channel management")
struct ChannelValidatorManagementTests {
    static let createBody = Array(#"{"message-storage-policy":1,"push-type":"LiveActivity"}"#.utf8)

    static func request(_ method: String, _ tail: String = "channels", channel: String? = nil,
                        body: [UInt8] = []) -> MockRequest {
        var headers: [(name: String, value: String)] = [("authorization", "bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln")]
        if let channel { headers.append(("apns-channel-id", channel)) }
        return MockRequest(method: method, path: "/1/apps/\(Broadcasts.bundle)/\(tail)", headers: headers, body: body)
    }

    static func step(_ request: MockRequest, _ validator: ChannelValidator = .standard, attempt: Int = 1) -> ManagementStep {
        guard case .success(let route) = ChannelRoute.resolve(method: request.method, path: request.path,
                                                               port: .management) else {
            Issue.record("\(request.method) \(request.path) does not route")
            return .list
        }
        return validator.checkManagement(request, route: route, attempt: attempt, policy: { Broadcasts.registered[$0] })
    }

    @Test func eachOperationSucceeds() {
        #expect(Self.step(Self.request("POST", body: Self.createBody)) == .create(policy: 1))
        #expect(Self.step(Self.request("GET", channel: Broadcasts.noStorage))
            == .read(channelID: Broadcasts.noStorage, policy: 0))
        #expect(Self.step(Self.request("DELETE", channel: Broadcasts.storing)) == .delete(channelID: Broadcasts.storing))
        #expect(Self.step(Self.request("GET", "all-channels")) == .list)
    }

    @Test(arguments: [
        #"{"message-storage-policy":0,"push-type":"LiveActivity"}"#,
        #"{"push-type":"liveactivity","message-storage-policy":1,"extra":true}"#,
    ])
    func createAcceptsBothPolicies(body: String) {
        guard case .create(let policy) = Self.step(Self.request("POST", body: Array(body.utf8))) else {
            Issue.record("refused \(body)")
            return
        }
        #expect(policy == (body.contains(#"policy":0"#) ? 0 : 1))
    }

    @Test(arguments: [
        "", "{}", "[]", "{", #"{"message-storage-policy":2,"push-type":"LiveActivity"}"#,
        #"{"message-storage-policy":"1","push-type":"LiveActivity"}"#,
        #"{"message-storage-policy":1.0,"push-type":"LiveActivity"}"#,
        #"{"message-storage-policy":1,"push-type":"alert"}"#, #"{"message-storage-policy":1}"#,
    ])
    func createRefusesAnyOtherBody(body: String) {
        #expect(Self.step(Self.request("POST", body: Array(body.utf8)))
            == .refuse(ChannelRefusal(400, ChannelReason.badRequestPayload)))
    }

    @Test func readAndDeleteNeedARegisteredBase64ChannelID() {
        for method in ["GET", "DELETE"] {
            #expect(Self.step(Self.request(method)) == .refuse(ChannelRefusal(400, ChannelReason.missingChannelId)))
            #expect(Self.step(Self.request(method, channel: "not base64"))
                == .refuse(ChannelRefusal(400, ChannelReason.badChannelId)))
            #expect(Self.step(Self.request(method, channel: "QUJDRA=="))
                == .refuse(ChannelRefusal(400, ChannelReason.channelNotRegistered)))
        }
    }

    @Test func providerTokenThenFeatureThenRequestIDThenRules() {
        let disabled = ChannelValidator.with {
            $0.disabled = true
            $0.manageRules = [MockResponseRule(prefix: "list", status: 500, reason: "InternalServerError")]
        }
        let list = Self.request("GET", "all-channels")
        #expect(Self.step(list.setting("authorization", nil), disabled)
            == .refuse(ChannelRefusal(403, .missingProviderToken)))
        #expect(Self.step(list.setting("apns-request-id", "x"), disabled)
            == .refuse(ChannelRefusal(400, ChannelReason.featureNotEnabled)))
        let ruled = ChannelValidator.with {
            $0.manageRules = [MockResponseRule(prefix: "list", status: 500, reason: "InternalServerError")]
        }
        #expect(Self.step(list.setting("apns-request-id", "x"), ruled) == .refuse(ChannelRefusal(400, .badMessageId)))
        #expect(Self.step(list, ruled) == .refuse(ChannelRefusal(500, .internalServerError)))
    }

    @Test func manageRulesMatchTheirOperationForKAttempts() {
        let validator = ChannelValidator.with {
            $0.manageRules = [MockResponseRule(prefix: "create", status: 400, reason: "CannotCreateChannelConfig",
                                               firstAttempts: 2),
                              MockResponseRule(prefix: "delete", status: 503, reason: "ServiceUnavailable")]
        }
        let create = Self.request("POST", body: Self.createBody)
        #expect(Self.step(create, validator, attempt: 2)
            == .refuse(ChannelRefusal(400, ChannelReason.cannotCreateChannelConfig)))
        #expect(Self.step(create, validator, attempt: 3) == .create(policy: 1))
        #expect(Self.step(Self.request("DELETE", channel: "QUJDRA=="), validator, attempt: 9)
            == .refuse(ChannelRefusal(503, .serviceUnavailable)), "the rule answers before the lookup")
        #expect(Self.step(Self.request("GET", channel: Broadcasts.storing), validator)
            == .read(channelID: Broadcasts.storing, policy: 1))
    }
}

@Suite("ChannelRoute: paths and methods of both ports")
struct ChannelRouteResolveTests {
    @Test func managementPaths() {
        let cases: [(String, String, Result<ChannelRoute, ChannelRefusal>)] = [
            ("POST", "/1/apps/com.a/channels", .success(ChannelRoute(operation: .create, bundle: "com.a"))),
            ("GET", "/1/apps/com.a/channels", .success(ChannelRoute(operation: .read, bundle: "com.a"))),
            ("DELETE", "/1/apps/com.a/channels", .success(ChannelRoute(operation: .delete, bundle: "com.a"))),
            ("GET", "/1/apps/com.a/all-channels", .success(ChannelRoute(operation: .list, bundle: "com.a"))),
            ("PUT", "/1/apps/com.a/channels", .failure(.methodNotAllowed)),
            ("POST", "/1/apps/com.a/all-channels", .failure(.methodNotAllowed)),
            ("DELETE", "/1/apps/com.a/all-channels", .failure(.methodNotAllowed)),
            ("GET", "/1/apps//channels", .failure(.notFound)),
            ("GET", "/1/apps/com.a/channels/", .failure(.notFound)),
            ("GET", "/1/apps/com.a/channels/QUJD", .failure(.notFound)),
            ("GET", "/1/apps/com.a/channels?x=1", .failure(.notFound)),
            ("GET", "/2/apps/com.a/channels", .failure(.notFound)),
            ("POST", "/4/broadcasts/apps/com.a", .failure(.notFound)),
            ("POST", "/3/device/aabb", .failure(.notFound)),
            ("GET", "", .failure(.notFound)),
        ]
        for (method, path, expected) in cases {
            #expect(ChannelRoute.resolve(method: method, path: path, port: .management) == expected, "\(method) \(path)")
        }
    }

    @Test func broadcastPaths() {
        #expect(ChannelRoute.resolve(method: "POST", path: "/4/broadcasts/apps/com.a", port: .push)
            == .success(ChannelRoute(operation: .broadcast, bundle: "com.a")))
        #expect(ChannelRoute.resolve(method: "GET", path: "/4/broadcasts/apps/com.a", port: .push) == .failure(.methodNotAllowed))
        for path in ["/4/broadcasts/apps/", "/4/broadcasts/apps/com.a/x", "/4/broadcast/apps/com.a", "/4/"] {
            #expect(ChannelRoute.resolve(method: "POST", path: path, port: .push) == .failure(.notFound), "\(path)")
        }
        #expect(ChannelRoute.isBroadcastPath("/4/broadcasts/apps/com.a"))
        #expect(!ChannelRoute.isBroadcastPath("/3/device/aabb"))
    }
}
