import EvidentCore

/// Namespace for the SDLA audit bundle.
public enum AuditBundle {}
