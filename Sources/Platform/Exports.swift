// Every target that builds on Platform gets the analytics vocabulary (event names, messages, experiments) its
// tracker speaks, and the one secrets helper.
@_exported import Analytics
@_exported import Secrets
