#include "web/multipart.hpp"

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

}  // namespace

std::optional<std::vector<FormPart>> ParseMultipart(std::string_view content_type,
                                                    std::string_view body) {
  if (!content_type.starts_with("multipart/form-data")) return std::nullopt;
  const std::string boundary = Parameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 200) return std::nullopt;
  const std::string delimiter = "--" + boundary;
  std::vector<FormPart> parts;
  std::size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return std::nullopt;
  for (;;) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return std::nullopt;
    pos += 2;
    const auto headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return std::nullopt;
    FormPart part;
    std::string_view headers = body.substr(pos, headers_end - pos);
    while (!headers.empty()) {
      const auto eol = headers.find("\r\n");
      const std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) return std::nullopt;
      const std::string_view name = line.substr(0, colon);
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      if (EqualsIgnoreCase(name, "content-disposition")) {
        if (!value.starts_with("form-data")) return std::nullopt;
        part.name = Parameter(value, "name");
        part.filename = Parameter(value, "filename");
      } else if (EqualsIgnoreCase(name, "content-type")) {
        part.content_type = std::string(value);
      }
    }
    const std::size_t data_start = headers_end + 4;
    const auto next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos) return std::nullopt;
    part.data = body.substr(data_start, next - data_start);
    parts.push_back(std::move(part));
    pos = next + 2;
  }
}

}  // namespace pathway::web
