import DudaoSchedules
/// One table of an office file or web page as rows of text cells, merges already resolved
/// by the format's reader (`Workbook`, `WordDocument`, `HTMLTables`): what the importer
/// reads, whatever the file was.
struct SourceTable {
    /// How `--sheet`/`--table` and messages name it: the sheet's name, or `表2`.
    var name: String
    /// The paragraph just before the table (a document's or page's title for it), used
    /// when the table holds no title row of its own.
    var caption: String?
    /// Its rows; `line` is the sheet's row or the table's row, from 1.
    var records: [DelimitedTable.Record]
}
