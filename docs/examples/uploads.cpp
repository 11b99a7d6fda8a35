// Uploads: a file streamed from disk as the body, and a multipart/form-data form with a field
// and a file. Both are sent again, whole, by a retry. The test server's /upload and /multipart
// echo what arrived (length and SHA-256 of each part).
#include <fstream>
#include <iostream>
#include <rhc/rhc.hpp>

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  rhc::ResilientClient client(config);

  const std::string path = "/tmp/rhc-upload-example.csv";
  std::ofstream(path) << "id,name\n1,Ada\n2,Grace\n";

  try {
    // The file is the body: streamed, never read into memory whole, its size sent as
    // Content-Length. A missing or unreadable file is a ConfigError before anything is sent.
    rhc::RequestOptions upload;
    upload.body_file = path;
    upload.headers = {{"Content-Type", "text/csv"}};
    rhc::Response r = client.put("/upload", upload).get();
    std::cout << "uploaded " << r.json()["length"].GetUint64() << " bytes\n";

    // A form: fields and files, each with an optional file name and content type
    // ({name, value, file, filename, content_type}). rhc sets the multipart Content-Type.
    rhc::RequestOptions form;
    form.multipart = {
        {"title", "People", "", "", ""},
        {"data", "", path, "people.csv", "text/csv"},
    };
    r = client.post("/multipart", form).get();
    std::cout << "sent " << r.json()["parts"].Size() << " parts\n";
  } catch (const rhc::MyAPIError& e) {
    std::cerr << "upload failed: " << e.what() << "\n";
    return 1;
  }
}
