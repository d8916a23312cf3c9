// Must NOT compile with app's include paths: use cases know nothing of HTTP.
#include "web/http.hpp"
