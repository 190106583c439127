import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import Platform

/// SMTPTransport against a small scripted server in the test process (the email tier uses a real one).
@Suite("Mail: the SMTP dialogue")
struct MailSMTPServerTests {
    @Test("EHLO, MAIL FROM, a RCPT TO per recipient, DATA with dot-stuffing on the wire, QUIT")
    func dialogue() async throws {
        try await FakeSMTPServer.with { server in
            let transport = SMTPTransport(try SMTPConfiguration(url: "smtp://127.0.0.1:\(server.port)?tls=none"))
            try await transport.deliver(
                from: "no-reply@example.org", to: ["a@example.org", "b@example.org"],
                content: "Subject: x\r\n\r\n.hidden\r\nplain\r\n")
            #expect(
                server.commands == [
                    "EHLO localhost", "MAIL FROM:<no-reply@example.org>", "RCPT TO:<a@example.org>",
                    "RCPT TO:<b@example.org>", "DATA", "QUIT",
                ])
            #expect(server.data == "Subject: x\r\n\r\n..hidden\r\nplain\r\n.\r\n")
        }
    }

    @Test("a 5xx to RCPT TO stops the dialogue with a permanent failure naming the step")
    func refusedRecipient() async throws {
        try await FakeSMTPServer.with(refusing: "RCPT TO:<b@example.org>") { server in
            let transport = SMTPTransport(try SMTPConfiguration(url: "smtp://127.0.0.1:\(server.port)?tls=none"))
            await #expect(
                throws: SMTPError.rejected(
                    step: "RCPT TO (recipient 2 of 2)", reply: SMTPReply(code: 550, lines: ["5.1.1 no such user"]))
            ) {
                try await transport.deliver(
                    from: "n@example.org", to: ["a@example.org", "b@example.org"], content: "x\r\n")
            }
            #expect(!server.commands.contains("DATA"))
        }
    }
}

/// Answers like a plain SMTP server (a multi-line EHLO reply, 354 to DATA) and records what it was sent.
final class FakeSMTPServer: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private struct State {
        var buffer = ""
        var inData = false
        var commands: [String] = []
        var data = ""
    }
    private let state = NIOLockedValueBox(State())
    let refusing: String?
    private let boundPort = NIOLockedValueBox(0)

    init(refusing: String?) { self.refusing = refusing }

    var port: Int { boundPort.withLockedValue { $0 } }
    var commands: [String] { state.withLockedValue { $0.commands } }
    var data: String { state.withLockedValue { $0.data } }

    static func with(refusing: String? = nil, _ body: (FakeSMTPServer) async throws -> Void) async throws {
        let server = FakeSMTPServer(refusing: refusing)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(server) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        server.boundPort.withLockedValue { $0 = channel.localAddress?.port ?? 0 }
        do {
            try await body(server)
        } catch {
            try? await channel.close()
            throw error
        }
        try await channel.close()
    }

    func channelActive(context: ChannelHandlerContext) {
        send("220 fake ESMTP\r\n", context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let text = String(buffer: unwrapInboundIn(data))
        let replies = state.withLockedValue { state -> [String] in
            state.buffer += text
            var replies: [String] = []
            while let end = state.buffer.range(of: "\r\n") {
                let line = String(state.buffer[..<end.lowerBound])
                state.buffer.removeSubrange(..<end.upperBound)
                if state.inData {
                    state.data += line + "\r\n"
                    if line == "." {
                        state.inData = false
                        replies.append("250 queued\r\n")
                    }
                    continue
                }
                state.commands.append(line)
                if line == refusing {
                    replies.append("550 5.1.1 no such user\r\n")
                } else if line.hasPrefix("EHLO") {
                    replies.append("250-fake\r\n250-8BITMIME\r\n250 SIZE 1000000\r\n")
                } else if line == "DATA" {
                    state.inData = true
                    replies.append("354 go ahead\r\n")
                } else if line == "QUIT" {
                    replies.append("221 bye\r\n")
                } else {
                    replies.append("250 ok\r\n")
                }
            }
            return replies
        }
        for reply in replies { send(reply, context) }
    }

    private func send(_ text: String, _ context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
    }
}
