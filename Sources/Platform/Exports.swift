// Every target that builds on Platform gets the one secrets helper with it.
@_exported import Secrets
// …and the analytics vocabulary (event names, messages, experiments) its tracker speaks.
@_exported import Analytics
