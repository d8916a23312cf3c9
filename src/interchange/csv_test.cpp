#include "interchange/csv.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pathway::interchange {
namespace {

TEST(CsvTest, PlainValuesAreWrittenAsTheyAreAndQuotedOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("Ada Lovelace"), "Ada Lovelace");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("Lovelace, Ada"), "\"Lovelace, Ada\"");
  EXPECT_EQ(CsvField("She said \"yes\""), "\"She said \"\"yes\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("a-b"), "a-b") << "only the first character matters";
  EXPECT_EQ(CsvField("'quoted"), "'quoted") << "an apostrophe before text is kept";
}

TEST(CsvTest, CellsThatCouldRunAsFormulasArePrefixedAndQuoted) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(CsvField("+44 20"), "\"'+44 20\"");
  EXPECT_EQ(CsvField("-2+3"), "\"'-2+3\"");
  EXPECT_EQ(CsvField("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(CsvField("\tcmd"), "\"'\tcmd\"");
  EXPECT_EQ(CsvField("\rcmd"), "\"'\rcmd\"");
  EXPECT_EQ(CsvField(std::string_view("\0x", 2)), std::string("\"'\0x\"", 5));
  EXPECT_EQ(CsvField("'=1"), "\"''=1\"") << "one more apostrophe, so reading it back is exact";
}

TEST(CsvTest, RestoringUndoesTheApostropheExactly) {
  for (const std::string value :
       {"=1+1", "'=1+1", "''=1", "-", "'-", "@", "plain", "'plain", "'", "''", "", "a=b"}) {
    std::string field = CsvField(value);
    // What a CSV reader gives back for the field: without the quotes, doubled quotes single.
    if (field.size() >= 2 && field.front() == '"') {
      std::string unquoted;
      for (std::size_t i = 1; i + 1 < field.size(); ++i) {
        unquoted.push_back(field[i]);
        if (field[i] == '"') ++i;
      }
      field = unquoted;
    }
    EXPECT_EQ(RestoreCsvField(field), value) << value;
  }
  EXPECT_EQ(RestoreCsvField("'plain"), "'plain") << "not written by CsvField: kept";
}

TEST(CsvTest, RowsEndWithTheChosenLineEnd) {
  CsvWriter crlf;
  crlf.Row({"code", "name"}).Row(std::vector<std::string>{"DWP", "=cmd"});
  EXPECT_EQ(crlf.text(), "code,name\r\nDWP,\"'=cmd\"\r\n");
  CsvWriter lf(CsvLineEnd::kLf);
  lf.Row({"a", "b,c"});
  EXPECT_EQ(std::move(lf).text(), "a,\"b,c\"\n");
}

}  // namespace
}  // namespace pathway::interchange
