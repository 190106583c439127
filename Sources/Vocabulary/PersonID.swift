import Foundation
import Tagged

package enum PersonTag {}
/// Someone a patient account schedules for in OSS (the account holder or a family member).
package typealias PersonID = Tagged<PersonTag, UUID>
