// Every target that builds on Platform gets the one secrets helper with it.
@_exported import Secrets
