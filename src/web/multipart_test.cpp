#include <gtest/gtest.h>

#include <string>

#include "web/multipart.hpp"

namespace pathway::web {
namespace {

constexpr std::string_view kType = "multipart/form-data; boundary=----x7MA4YWxk";

TEST(MultipartTest, SplitsFieldsAndFiles) {
  const std::string body =
      "------x7MA4YWxk\r\nContent-Disposition: form-data; name=\"csrf-token\"\r\n\r\nabc\r\n"
      "------x7MA4YWxk\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"f.csv\"\r\nContent-Type: text/csv\r\n\r\na,b\r\n1,2\r\n\r\n"
      "------x7MA4YWxk--\r\n";
  auto parts = ParseMultipart(kType, body);
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "csrf-token");
  EXPECT_EQ((*parts)[0].data, "abc");
  EXPECT_EQ((*parts)[1].name, "file");
  EXPECT_EQ((*parts)[1].filename, "f.csv");
  EXPECT_EQ((*parts)[1].content_type, "text/csv");
  EXPECT_EQ((*parts)[1].data, "a,b\r\n1,2\r\n") << "line breaks inside a file are kept";
}

TEST(MultipartTest, RefusesWhatIsNotWellFormed) {
  EXPECT_FALSE(ParseMultipart("application/json", "{}").ok());
  EXPECT_FALSE(ParseMultipart("multipart/form-data", "--x\r\n").ok());
  const std::string unterminated =
      "------x7MA4YWxk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue";
  EXPECT_FALSE(ParseMultipart(kType, unterminated).ok());
  const std::string no_headers_end = "------x7MA4YWxk\r\nContent-Disposition: form-data";
  EXPECT_FALSE(ParseMultipart(kType, no_headers_end).ok());
  EXPECT_FALSE(ParseMultipart(kType, "").ok());
  const std::string empty_form = "------x7MA4YWxk--\r\n";
  ASSERT_TRUE(ParseMultipart(kType, empty_form).ok());
  EXPECT_TRUE(ParseMultipart(kType, empty_form)->empty());
}

// A multipart body of one field named `name` holding `value`, and one file.
std::string FieldAndFile(std::string_view name, std::string_view value, std::string_view file) {
  return "------x7MA4YWxk\r\nContent-Disposition: form-data; name=\"" + std::string(name) +
         "\"\r\n\r\n" + std::string(value) +
         "\r\n------x7MA4YWxk\r\nContent-Disposition: form-data; name=\"file\"; "
         "filename=\"f.csv\"\r\n\r\n" +
         std::string(file) + "\r\n------x7MA4YWxk--\r\n";
}

TEST(MultipartTest, FieldsThatAreNotTextAreRefusedNamingTheField) {
  const auto utf8 = ParseMultipart(kType, FieldAndFile("kind", "peo\xFFple", "a"));
  ASSERT_FALSE(utf8.ok());
  EXPECT_EQ(utf8.error().field, "kind");
  EXPECT_EQ(utf8.error().message, "Kind has a character that is not UTF-8");
  const auto control = ParseMultipart(kType, FieldAndFile("kind", "people\x1B", "a"));
  ASSERT_FALSE(control.ok());
  EXPECT_EQ(control.error().field, "kind");
  const auto lines = ParseMultipart(kType, FieldAndFile("kind", "peo\nple", "a"));
  ASSERT_FALSE(lines.ok());
  EXPECT_EQ(lines.error().message, "Kind must be one line. Remove the line break");
  const auto name = ParseMultipart(kType, FieldAndFile("ki\xC3\x28nd", "people", "a"));
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.error().field, "form");
}

TEST(MultipartTest, FileContentsAreLeftToTheirImporterButNotTheirName) {
  const auto parts = ParseMultipart(kType, FieldAndFile("kind", "people", "\xFF\x00\x1B"));
  ASSERT_TRUE(parts.ok());
  EXPECT_TRUE((*parts)[1].file);
  EXPECT_FALSE((*parts)[0].file);
  const std::string bad_name =
      "------x7MA4YWxk\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"f\xFF.csv\"\r\n\r\na\r\n------x7MA4YWxk--\r\n";
  const auto refused = ParseMultipart(kType, bad_name);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "file");
  const std::string no_file_chosen =
      "------x7MA4YWxk\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"\"\r\n\r\n\r\n------x7MA4YWxk--\r\n";
  const auto empty = ParseMultipart(kType, no_file_chosen);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE((*empty)[0].file) << "an empty filename is still a file input";
}

}  // namespace
}  // namespace pathway::web
