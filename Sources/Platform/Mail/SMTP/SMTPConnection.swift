import NIOCore
import NIOPosix
import NIOSSL

/// One TCP (or TLS) connection to an SMTP server: send a command line, wait for its reply, upgrade to TLS.
struct SMTPConnection {
    let channel: any Channel
    let handler: NIOLoopBound<SMTPReplyHandler>
    let timeout: TimeAmount
    private(set) var isEncrypted: Bool

    /// Connects; with `tls`, the handshake starts at once (smtps://).
    static func connect(
        host: String, port: Int, tls: NIOSSLContext?, serverName: String?, timeout: TimeAmount
    ) async throws -> SMTPConnection {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(SMTPReplyHandler())
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            throw SMTPError.connectionFailed(String(describing: error))
        }
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(
                try channel.pipeline.syncOperations.handler(type: SMTPReplyHandler.self), eventLoop: channel.eventLoop)
        }.get()
        return SMTPConnection(channel: channel, handler: handler, timeout: timeout, isEncrypted: tls != nil)
    }

    /// The next reply from the server; `step` names it in errors.
    func reply(to step: String) async throws -> SMTPReply {
        let (handler, timeout, eventLoop) = (handler, timeout, channel.eventLoop)
        return try await eventLoop.flatSubmit {
            handler.value.nextReply(step: step, timeout: timeout, on: eventLoop)
        }.get()
    }

    /// Sends `line` and CRLF and waits for a reply in `expected`; `step` names it in errors (never the line,
    /// which may hold credentials or an address).
    @discardableResult
    func command(_ line: String, step: String, expecting expected: ClosedRange<Int> = 250...259) async throws
        -> SMTPReply
    {
        try await write(Array((line + "\r\n").utf8))
        return try await expect(expected, step: step)
    }

    func write(_ bytes: [UInt8]) async throws {
        do {
            try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
        } catch {
            // A failed TLS handshake (an untrusted certificate) closes the channel under the write that started
            // it: the handler has the reason.
            let handler = handler
            let reason = try? await channel.eventLoop.submit { handler.value.failure }.get()
            throw reason ?? SMTPError.connectionFailed(String(describing: error))
        }
    }

    @discardableResult
    func expect(_ expected: ClosedRange<Int>, step: String) async throws -> SMTPReply {
        let reply = try await reply(to: step)
        guard expected.contains(reply.code) else { throw SMTPError.rejected(step: step, reply: reply) }
        return reply
    }

    /// Puts TLS under the conversation (after the server's 220 to STARTTLS); the next write starts the handshake.
    mutating func startTLS(_ tls: NIOSSLContext, serverName: String?) async throws {
        let channel = channel
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(
                NIOSSLClientHandler(context: tls, serverHostname: serverName), position: .first)
        }.get()
        isEncrypted = true
    }

    func close() async {
        try? await channel.close()
    }
}
