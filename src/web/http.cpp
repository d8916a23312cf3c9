#include "web/http.hpp"

#include <algorithm>
#include <cctype>

#include "domain/text.hpp"

namespace pathway::web {

bool HeaderIsSafe(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return domain::EqualsIgnoringCase(a, b);
}

namespace {

std::string_view FindHeader(const std::vector<std::pair<std::string, std::string>>& headers,
                            std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return {};
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view Request::Header(std::string_view name) const { return FindHeader(headers, name); }

std::optional<std::string> Request::QueryParam(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    auto key = PercentDecode(pair.substr(0, eq), true);
    if (!key || *key != name) continue;
    if (eq == std::string_view::npos) return std::string{};
    return PercentDecode(pair.substr(eq + 1), true);
  }
  return std::nullopt;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const auto eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        return std::string(pair.substr(eq + 1));
      }
    }
  }
  return std::nullopt;
}

std::string FieldLabel(std::string_view name) {
  static const std::map<std::string_view, std::string_view> kLabels{
      {"name", "Name"},
      {"email", "Email address"},
      {"password", "Password"},
      {"current-password", "Current password"},
      {"new-password", "New password"},
      {"title", "Title"},
      {"description", "Description"},
      {"text", "Text"},
      {"label", "Label"},
      {"tags", "Tags"},
      {"notes", "Notes"},
      {"reason", "Reason"},
      {"q", "The search text"},
      {"kind", "Kind"},
      {"format", "Format"},
      {"role", "Role"},
      {"scope", "Scope"},
      {"departments", "Departments"},
      {"department", "Department"},
      {"profession", "Profession"}};
  const auto it = kLabels.find(name);
  if (it != kLabels.end()) return std::string(it->second);
  return "‘" + std::string(name) + "’";
}

domain::Result<std::map<std::string, std::string>> ParseForm(
    std::string_view body, std::initializer_list<std::string_view> multi_line,
    std::string_view whole) {
  std::map<std::string, std::string> form;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto key = PercentDecode(pair.substr(0, eq), true);
    if (!key || domain::FindTextProblem(*key, domain::LineBreaks::kRefused)) {
      return domain::Error::InvalidInput(
          std::string(whole), "A field name is not text. Send names in UTF-8, percent-encoded");
    }
    const std::string quoted = FieldLabel(*key);
    auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                              : PercentDecode(pair.substr(eq + 1), true);
    if (!value) {
      return domain::Error::InvalidInput(
          *key, quoted + " has a malformed percent escape, or one for a NUL byte (%00)");
    }
    // A name ending in '*' stands for every name with that prefix ("situation-*").
    const bool lines =
        std::any_of(multi_line.begin(), multi_line.end(), [&](std::string_view name) {
          if (name.ends_with('*'))
            return std::string_view(*key).starts_with(name.substr(0, name.size() - 1));
          return name == *key;
        });
    if (const auto problem = domain::FindTextProblem(
            *value, lines ? domain::LineBreaks::kAllowed : domain::LineBreaks::kRefused)) {
      return domain::Error::InvalidInput(*key, domain::DescribeTextProblem(*problem, quoted));
    }
    form[*key] = std::move(*value);
  }
  return form;
}

std::optional<domain::Error> CheckTarget(const Request& request) {
  if (const auto problem = domain::FindTextProblem(request.path, domain::LineBreaks::kRefused)) {
    return domain::Error::InvalidInput("path",
                                       domain::DescribeTextProblem(*problem, "The address"));
  }
  auto query = ParseForm(request.query, {}, "query");
  if (!query.ok()) return std::move(query).error();
  return std::nullopt;
}

void Response::SetHeader(std::string_view name, std::string value) {
  for (auto& [key, existing] : headers) {
    if (EqualsIgnoreCase(key, name)) {
      existing = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::string(name), std::move(value));
}

std::string_view Response::Header(std::string_view name) const { return FindHeader(headers, name); }

Response Response::Text(int status, std::string body, std::string content_type) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.SetHeader("Content-Type", std::move(content_type));
  return response;
}

Response Response::Html(int status, std::string body) {
  return Text(status, std::move(body), "text/html; charset=utf-8");
}

Response Response::Json(int status, std::string body, std::string content_type) {
  return Text(status, std::move(body), std::move(content_type));
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      const char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0') return std::nullopt;
      out.push_back(decoded);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace pathway::web
