#include <gtest/gtest.h>

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
  ASSERT_TRUE(parts.has_value());
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "csrf-token");
  EXPECT_EQ((*parts)[0].data, "abc");
  EXPECT_EQ((*parts)[1].name, "file");
  EXPECT_EQ((*parts)[1].filename, "f.csv");
  EXPECT_EQ((*parts)[1].content_type, "text/csv");
  EXPECT_EQ((*parts)[1].data, "a,b\r\n1,2\r\n") << "line breaks inside a file are kept";
}

TEST(MultipartTest, RefusesWhatIsNotWellFormed) {
  EXPECT_FALSE(ParseMultipart("application/json", "{}").has_value());
  EXPECT_FALSE(ParseMultipart("multipart/form-data", "--x\r\n").has_value());
  const std::string unterminated =
      "------x7MA4YWxk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue";
  EXPECT_FALSE(ParseMultipart(kType, unterminated).has_value());
  const std::string no_headers_end = "------x7MA4YWxk\r\nContent-Disposition: form-data";
  EXPECT_FALSE(ParseMultipart(kType, no_headers_end).has_value());
  EXPECT_FALSE(ParseMultipart(kType, "").has_value());
  const std::string empty_form = "------x7MA4YWxk--\r\n";
  ASSERT_TRUE(ParseMultipart(kType, empty_form).has_value());
  EXPECT_TRUE(ParseMultipart(kType, empty_form)->empty());
}

}  // namespace
}  // namespace pathway::web
