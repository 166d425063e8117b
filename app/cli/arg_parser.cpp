#include "app/cli/arg_parser.h"

#include <stdexcept>

namespace aqlm::cli {

ArgParser::ArgParser(std::set<std::string> valueOptions, std::set<std::string> flags)
    : m_valueOptions(std::move(valueOptions)), m_flags(std::move(flags)) {}

void ArgParser::parse(const std::vector<std::string>& args) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.size() < 3 || a.compare(0, 2, "--") != 0) {
            m_positional.push_back(a);
            continue;
        }
        std::string name = a.substr(2), value;
        const bool inlineValue = name.find('=') != std::string::npos;
        if (inlineValue) {
            value = name.substr(name.find('=') + 1);
            name = name.substr(0, name.find('='));
        }
        if (m_flags.count(name)) {
            if (inlineValue) throw std::invalid_argument("option --" + name + " takes no value");
            m_values.emplace(name, "1");
        } else if (m_valueOptions.count(name)) {
            if (!inlineValue) {
                if (i + 1 >= args.size()) throw std::invalid_argument("option --" + name + " needs a value");
                value = args[++i];
            }
            m_values.emplace(name, value);
        } else {
            throw std::invalid_argument("unknown option --" + name);
        }
    }
}

bool ArgParser::has(const std::string& name) const { return m_values.count(name) > 0; }

std::string ArgParser::get(const std::string& name, const std::string& fallback) const {
    auto it = m_values.find(name);
    return it == m_values.end() ? fallback : std::prev(m_values.upper_bound(name))->second;
}

std::vector<std::string> ArgParser::getAll(const std::string& name) const {
    std::vector<std::string> out;
    for (auto [it, end] = m_values.equal_range(name); it != end; ++it) out.push_back(it->second);
    return out;
}

long long ArgParser::getInt(const std::string& name, long long fallback) const {
    if (!has(name)) return fallback;
    const std::string v = get(name);
    size_t used = 0;
    long long result = 0;
    try {
        result = std::stoll(v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != v.size() || v.empty()) throw std::invalid_argument("--" + name + " expects an integer, got '" + v + "'");
    return result;
}

double ArgParser::getDouble(const std::string& name, double fallback) const {
    if (!has(name)) return fallback;
    const std::string v = get(name);
    size_t used = 0;
    double result = 0;
    try {
        result = std::stod(v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != v.size() || v.empty()) throw std::invalid_argument("--" + name + " expects a number, got '" + v + "'");
    return result;
}

}  // namespace aqlm::cli
