// multipart/form-data (RFC 7578) bodies, as browsers send file uploads. Written by hand:
// Boost.Beast does not parse multipart bodies and Debian has no small library that does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"

namespace pathway::web {

struct FormPart {
  std::string name;      // the form field's name
  std::string filename;  // for a file, as the browser sent it; empty otherwise
  bool file = false;     // sent as a file (a filename parameter, even an empty one)
  std::string content_type;
  std::string_view data;  // points into the body passed to ParseMultipart
};

// Splits `body` into its parts using the boundary named in `content_type`
// ("multipart/form-data; boundary=..."), and checks the text of every part at the door
// (domain::FindTextProblem): names, filenames and the data of parts that are not files
// must be one-line text. A file's contents are its importer's to check. kInvalidInput
// naming the field ("form" when the body as a whole is at fault) if the content type is
// not multipart, names no boundary, the body is not well formed, or a part is not text.
domain::Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type,
                                                     std::string_view body);

}  // namespace pathway::web
