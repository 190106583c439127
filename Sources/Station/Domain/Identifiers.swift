public import Foundation
public import Tagged

/// Typed identifiers: a patient id can never be passed where a care request id belongs.
public enum PartnerTag {}
public enum PatientTag {}
public enum CareRequestTag {}
public enum MarketTag {}
public enum ServiceLineTag {}

public typealias PartnerID = Tagged<PartnerTag, UUID>
public typealias PatientID = Tagged<PatientTag, UUID>
public typealias CareRequestID = Tagged<CareRequestTag, UUID>
public typealias MarketID = Tagged<MarketTag, UUID>
public typealias ServiceLineID = Tagged<ServiceLineTag, UUID>
