import Console
import Express
import Identity
import OSS
import Platform
import Policy
import Station

/// Every service `selfsched` runs, in the order it starts them (Identity first: the others trust its tokens).
/// `serve`, `serve --only` and `migrate` all read this one list.
package enum ServiceRegistry {
    package static let all: [ServiceDefinition] = [
        IdentityApp.definition, StationApp.definition, PolicyApp.definition, ExpressApp.definition, OSSApp.definition,
        ConsoleApp.definition,
    ]
}
