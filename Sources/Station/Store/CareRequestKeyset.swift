import Foundation
import SQLKit
import StationDomain

/// The keyset every care-request list pages on, newest first: (created_ms, id) of the table aliased `c`.
enum CareRequestKeyset {
    /// Bounds `q` to the rows after `cursor`, orders it newest first and fetches one row more than `limit`, which
    /// tells whether there is a next page.
    static func rows(_ q: SQLSelectBuilder, after cursor: PageCursor?, limit: Int) async throws -> [any SQLRow] {
        func column(_ name: String) -> SQLColumn { SQLColumn(name, table: "c") }
        if let cursor {
            guard cursor.kind == .careRequests, cursor.keys.count == 1, let ms = Int64(cursor.keys[0]) else {
                throw PageCursor.Invalid()
            }
            // The redundant bound lets every database seek the index instead of scanning from the top.
            q.where(column("created_ms"), .lessThanOrEqual, SQLBind(ms))
            q.where { or in
                or.orWhere(column("created_ms"), .lessThan, SQLBind(ms))
                    .orWhere(column("id"), .lessThan, SQLBind(cursor.id))
            }
        }
        return try await q.orderBy(column("created_ms"), SQLDirection.descending)
            .orderBy(column("id"), SQLDirection.descending)
            .limit(limit + 1).all()
    }

    /// The page of `items` (decoded from ``rows(_:after:limit:)``) and the cursor after its last, when more came.
    static func page<Item>(
        _ items: [Item], limit: Int, key: (Item) -> (createdMs: Int64, id: UUID)
    ) -> Page<Item> {
        let shown = Array(items.prefix(limit))
        let next =
            items.count > limit
            ? shown.last.map { PageCursor(kind: .careRequests, keys: [String(key($0).createdMs)], id: key($0).id) }
            : nil
        return Page(items: shown, nextCursor: next)
    }
}
