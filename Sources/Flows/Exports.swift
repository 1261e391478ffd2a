// The flow speaks of identities and civil dates everywhere; its clients get them with it.
@_exported public import CivicIdentity
