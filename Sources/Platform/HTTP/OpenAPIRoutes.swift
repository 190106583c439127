import Foundation
import OpenAPIRuntime
import OpenAPIVapor
import Vapor

extension RoutesBuilder {
    /// Mounts a generated OpenAPI server behind a bearer-token check (``BearerAuthMiddleware``) and its
    /// per-operation scope rules (``ScopeMiddleware``, deny by default); `middlewares` run after the scope check.
    /// `register` is the handler's generated `registerHandlers`.
    ///
    /// `withoutBearer` names operations that take no bearer token because one of `middlewares` authenticates them
    /// otherwise (a webhook's signature); every other operation still requires a valid token.
    package func registerOpenAPI(
        bearer verifier: TokenVerifier, scopes: [String: String?], withoutBearer: Set<String> = [],
        serverURL: String = "/", middlewares: [any ServerMiddleware] = [],
        _ register: (any ServerTransport, URL, Configuration, [any ServerMiddleware]) throws -> Void
    ) throws {
        guard let url = URL(string: serverURL) else { throw ConfigurationError("\(serverURL) is not a server URL.") }
        let bearer = BearerAuthMiddleware(verifier: verifier, optional: !withoutBearer.isEmpty)
        let transport = VaporTransport(routesBuilder: grouped(bearer))
        try register(transport, url, .standard, [ScopeMiddleware(scopes, withoutBearer: withoutBearer)] + middlewares)
    }

    /// Serves a contract's OpenAPI document, as YAML, at `path`.
    package func serveOpenAPIDocument(_ path: PathComponent..., yaml: Data) {
        get(path) { _ -> Response in
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "application", subType: "yaml", parameters: ["charset": "utf-8"])
            return Response(status: .ok, headers: headers, body: .init(data: yaml))
        }
    }
}
