import ConsoleDomain
import Platform

/// Console, the provider's own application: nurse triage, the dispatch board and partner onboarding.
package enum ConsoleApp {}
