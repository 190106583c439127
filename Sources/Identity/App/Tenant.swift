import Vocabulary

/// Vocabulary's tenant under the name Identity's callers already use: code that imports only Identity (the
/// `selfsched` commands) reaches it without importing Vocabulary too. It is the same type, not a copy.
package typealias Tenant = Vocabulary.Tenant
