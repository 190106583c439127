import Fluent
import Platform

/// Station's migrations, in the order they run.
enum StationMigrations {
    static let all: [any Migration] = own + OutboxMigrations.all

    /// Station's own tables.
    static let own: [any Migration] = [
        M001_CreatePartners(),
        M002_CreateMarkets(),
        M003_CreateServiceLines(),
        M004_CreatePatients(),
        M005_CreateCareRequests(),
        M006_CreateStatusChanges(),
        M007_CreateTimeWindowReservations(),
        M008_CreateIdempotencyKeys(),
        M009_CoveringPatientSearchIndexes(),
        M010_AddSyntheticCareRequests(),
        M011_CreateCareRequestEvents(),
        M012_AddPartnerMarkets(),
        M013_CreateMarketClosures(),
        M014_AddServiceLineCodes(),
        M015_CreateAdminChanges(),
        M016_AddCareRequestChanges(),
        M017_CreateAuditEvents(),
        M018_AddReservationUpdatedAt(),
        M019_CreateCareTeams(),
        M020_AddServiceLineVisitLength(),
        M021_AddMarketTravel(),
        M022_AddExtraVisitMinutes(),
        M023_AddPinnedCareTeam(),
        M024_CreateDayPlans(),
        M025_AddPinnedBy(),
    ]
}
