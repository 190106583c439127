import Vocabulary

/// The calendar date lives in Vocabulary (Console names market-local days too); Station's code keeps its name.
package typealias LocalDate = Vocabulary.LocalDate
