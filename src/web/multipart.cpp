#include "web/multipart.hpp"

#include "domain/text.hpp"
#include "web/http.hpp"

namespace pathway::web {
namespace {

// The value of `key="value"` or `key=value` in a header's parameters.
std::string Parameter(std::string_view header, std::string_view key) {
  std::size_t at = 0;
  while ((at = header.find(key, at)) != std::string_view::npos) {
    const bool starts = at == 0 || header[at - 1] == ';' || header[at - 1] == ' ';
    const std::size_t eq = at + key.size();
    if (!starts || eq >= header.size() || header[eq] != '=') {
      at = eq;
      continue;
    }
    std::string_view rest = header.substr(eq + 1);
    if (!rest.empty() && rest.front() == '"') {
      const auto close = rest.find('"', 1);
      if (close == std::string_view::npos) return {};
      return std::string(rest.substr(1, close - 1));
    }
    return std::string(rest.substr(0, rest.find(';')));
  }
  return {};
}

bool HasParameter(std::string_view header, std::string_view key) {
  std::size_t at = 0;
  while ((at = header.find(key, at)) != std::string_view::npos) {
    const std::size_t eq = at + key.size();
    if ((at == 0 || header[at - 1] == ';' || header[at - 1] == ' ') && eq < header.size() &&
        header[eq] == '=') {
      return true;
    }
    at = eq;
  }
  return false;
}

domain::Error Malformed() {
  return domain::Error::InvalidInput("form",
                                     "The form is not a well-formed multipart/form-data body");
}

// The part's name, filename and (for a field that is not a file) value must be text.
std::optional<domain::Error> CheckPart(const FormPart& part) {
  if (domain::FindTextProblem(part.name, domain::LineBreaks::kRefused)) {
    return domain::Error::InvalidInput(
        "form", "A field name is not text. Send names in UTF-8, on one line");
  }
  const std::string quoted = FieldLabel(part.name);
  if (const auto problem = domain::FindTextProblem(part.filename, domain::LineBreaks::kRefused)) {
    return domain::Error::InvalidInput(
        part.name, domain::DescribeTextProblem(*problem, "The file name in " + quoted));
  }
  if (part.file) return std::nullopt;
  if (const auto problem = domain::FindTextProblem(part.data, domain::LineBreaks::kRefused)) {
    return domain::Error::InvalidInput(part.name, domain::DescribeTextProblem(*problem, quoted));
  }
  return std::nullopt;
}

}  // namespace

domain::Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type,
                                                     std::string_view body) {
  if (!content_type.starts_with("multipart/form-data")) return Malformed();
  const std::string boundary = Parameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 200) return Malformed();
  const std::string delimiter = "--" + boundary;
  std::vector<FormPart> parts;
  std::size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return Malformed();
  for (;;) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return Malformed();
    pos += 2;
    const auto headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return Malformed();
    FormPart part;
    std::string_view headers = body.substr(pos, headers_end - pos);
    while (!headers.empty()) {
      const auto eol = headers.find("\r\n");
      const std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) return Malformed();
      const std::string_view name = line.substr(0, colon);
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      if (EqualsIgnoreCase(name, "content-disposition")) {
        if (!value.starts_with("form-data")) return Malformed();
        part.name = Parameter(value, "name");
        part.filename = Parameter(value, "filename");
        part.file = HasParameter(value, "filename");
      } else if (EqualsIgnoreCase(name, "content-type")) {
        part.content_type = std::string(value);
      }
    }
    const std::size_t data_start = headers_end + 4;
    const auto next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos) return Malformed();
    part.data = body.substr(data_start, next - data_start);
    if (auto problem = CheckPart(part)) return std::move(*problem);
    parts.push_back(std::move(part));
    pos = next + 2;
  }
}

}  // namespace pathway::web
