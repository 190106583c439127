import Foundation
import Tagged
import Vocabulary

package enum AccountTag {}

/// An Identity account: the subject (`sub`) of every token issued to its user, as lowercase UUID text.
package typealias AccountID = Tagged<AccountTag, UUID>
