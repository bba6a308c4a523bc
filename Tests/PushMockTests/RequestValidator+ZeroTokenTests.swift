import Testing
@testable import PushMock
import PushCore

@Suite("RequestValidator: the all-zero token (what check --connect sends)")
struct RequestValidatorZeroTokenTests {
    @Test("answered BadDeviceToken, but only after the credentials passed")
    func zeroToken() {
        let zeros = String(repeating: "0", count: 64)
        #expect(Requests.decide(Requests.valid(token: zeros)).reason == .badDeviceToken)
        let refusing = RequestValidator(tokenVerifier: { _ in .invalidProviderToken })
        #expect(Requests.decide(Requests.valid(token: zeros), refusing).reason == .invalidProviderToken,
                "bad credentials are refused first, so BadDeviceToken proves them")
        #expect(Requests.decide(Requests.valid(token: "00" + String(repeating: "0", count: 61) + "1")).status == 200)
    }
}
