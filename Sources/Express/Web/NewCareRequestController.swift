// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (OAuth and OpenID Connect wire names: form fields and JSON keys are snake_case by their standards.)

import ExpressDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// "New care request": pushes the handoff to OSS and sends the browser there with the handle alone, or,
/// where the partner has not turned on online scheduling, says how to schedule by phone.
struct NewCareRequestController: RouteCollection {
    let service: ExpressService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("care-requests", "new", use: form)
        routes.post("care-requests", "new", use: start)
    }

    struct Context: Encodable {
        var phoneOnly: Bool
        var phone: String
    }

    func form(req: Request) async throws -> Response {
        let user = try req.user()
        do {
            _ = try await StartHandoff(service: service).permit(user.acting)
            return try await page(req, phoneOnly: false)
        } catch UseCaseRefusal.notAllowed {
            return try await refused(req)
        } catch UseCaseRefusal.onlineSchedulingOff {
            return try await page(req, phoneOnly: true)
        }
    }

    /// The form, or the way to schedule by phone (Phone Page Shown).
    func page(_ req: Request, phoneOnly: Bool) async throws -> Response {
        if phoneOnly { await service.phonePageShown(.onlineSchedulingOff, user: try req.user().acting) }
        return try await req.page(
            "new-care-request", title: "New care request", section: "new",
            Context(phoneOnly: phoneOnly, phone: service.config.supportPhone))
    }

    func refused(_ req: Request) async throws -> Response {
        let user = try req.user()
        try await service.audit.record(
            AuditEntry(action: "care_request.start", outcome: "denied", detail: "role \(user.role.rawValue)"),
            req.auditContext(user))
        return try await req.notice(
            .forbidden, title: "You cannot start care requests",
            message: "Your role lets you view care requests but not start them. Ask your Express admin if you need to.",
            section: "new")
    }

    struct StartForm: Content {
        var patient_id: String?
    }

    func start(req: Request) async throws -> Response {
        let user = try req.user()
        let startHandoff = StartHandoff(service: service)
        let permit: StartHandoff.Permit
        do {
            permit = try await startHandoff.permit(user.acting)
        } catch UseCaseRefusal.notAllowed {
            return try await refused(req)
        } catch UseCaseRefusal.onlineSchedulingOff {
            return try await page(req, phoneOnly: true)
        }
        let form = try req.content.decode(StartForm.self)
        var patient: PatientID?
        if let raw = form.patient_id, !raw.isEmpty {
            guard let id = PatientID(wire: raw) else {
                return try await req.notice(
                    .badRequest, title: "That patient link is not valid", message: "Search for the patient again.",
                    section: "new", link: ("/patients", "Search patients"))
            }
            patient = id
        }
        do {
            let started = try await startHandoff(permit, patient: patient, context: req.useCase(user))
            HandoffInSession.remember(started, in: req.webSession)
            return req.redirect(to: started.handoff.startURL)
        } catch let error as ServiceUnavailable {
            req.logger.warning("handoff failed", metadata: ["service": .string(error.service)])
            await service.phonePageShown(.onlineSchedulingUnavailable, user: user.acting)
            return try await req.notice(
                .serviceUnavailable, title: "Online scheduling is unavailable right now",
                message:
                    "We could not open online scheduling. Please try again in a moment, or call us at \(service.config.supportPhone).",
                section: "new", link: ("/care-requests/new", "Try again"))
        }
    }
}
