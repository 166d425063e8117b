#pragma once
// Minimal `--name value` / `--flag` parser: the CLI stays Qt-free so it builds on the GPU machine.
#include <map>
#include <set>
#include <string>
#include <vector>

namespace aqlm::cli {

class ArgParser {
public:
    // valueOptions take one argument; flags take none. Anything else is an error.
    ArgParser(std::set<std::string> valueOptions, std::set<std::string> flags);
    void parse(const std::vector<std::string>& args);  // throws std::invalid_argument

    const std::vector<std::string>& positional() const { return m_positional; }
    bool has(const std::string& name) const;
    std::string get(const std::string& name, const std::string& fallback = {}) const;
    std::vector<std::string> getAll(const std::string& name) const;  // repeated options
    long long getInt(const std::string& name, long long fallback) const;
    double getDouble(const std::string& name, double fallback) const;

private:
    std::set<std::string> m_valueOptions, m_flags;
    std::multimap<std::string, std::string> m_values;
    std::vector<std::string> m_positional;
};

}  // namespace aqlm::cli
