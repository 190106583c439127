@testable import OSS

/// What a fake throws, besides reporting the call to `UnexpectedCalls`, for a call nobody stubbed: to OSS it looks
/// like the service did not answer.
func notStubbed(_ service: String, _ call: String) -> Unavailable {
    Unavailable(service: service, description: "not stubbed: \(service).\(call)")
}
