import Foundation
import SQLKit
import StationDomain
import Vocabulary

extension StationStore {
    /// Adds a search's filters to the list query (care requests `c` joined with patients `p`).
    ///
    /// The creation range bounds `created_ms`, the list's sort key. A name matches when every word begins the
    /// patient's given or family name, or the whole name begins given + family ("mary ann"): the patients' own
    /// search keys (``SearchKey``), compared as byte ranges like the patient search.
    static func filter(_ q: SQLSelectBuilder, by search: CareRequestSearch) {
        func column(_ name: String) -> SQLColumn { SQLColumn(name, table: "c") }
        func prefix(_ key: String, _ low: String) -> SQLQueryString {
            "\(ident: "p").\(ident: key) >= \(bind: low) AND \(ident: "p").\(ident: key) < \(bind: SearchKey.upperBound(of: low))"
        }
        if let phase = search.phase { q.where(column("phase"), .equal, SQLBind(phase.rawValue)) }
        if !search.statuses.isEmpty {
            q.where(column("status"), .in, SQLBind.group(search.statuses.map(\.rawValue).sorted()))
        }
        if let market = search.market { q.where(column("market_id"), .equal, SQLBind(market.rawValue)) }
        if let from = search.createdFrom {
            q.where(column("created_ms"), .greaterThanOrEqual, SQLBind(Self.milliseconds(from, roundingUp: true)))
        }
        if let before = search.createdBefore {
            q.where(column("created_ms"), .lessThan, SQLBind(Self.milliseconds(before, roundingUp: true)))
        }
        if let user = search.createdBy { q.where(column("created_by_user_id"), .equal, SQLBind(user)) }
        let words = search.nameWords
        guard !words.isEmpty else { return }
        let each = SQLList(
            words.map { word -> SQLQueryString in "((\(prefix("given_key", word))) OR (\(prefix("family_key", word))))"
            },
            separator: SQLRaw(" AND "))
        let whole = prefix("full_key", search.nameKey)
        q.where(SQLQueryString("((\(each)) OR (\(whole)))"))
    }

    /// An instant as the epoch milliseconds `created_ms` holds; a fraction of a millisecond rounds up so that
    /// "at or after" and "before" keep their meaning.
    static func milliseconds(_ date: Date, roundingUp: Bool) -> Int64 {
        let ms = date.timeIntervalSince1970 * 1000
        return Int64(roundingUp ? ms.rounded(.up) : ms.rounded(.down))
    }
}
