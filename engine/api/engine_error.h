#pragma once
// Every failure the engine reports to a user: which file, what is wrong, and what to do about it.
#include <stdexcept>
#include <string>

namespace aqlm {

class EngineError : public std::runtime_error {
public:
    EngineError(std::string file, std::string problem, std::string hint = {})
        : std::runtime_error(compose(file, problem, hint)),
          m_file(std::move(file)), m_problem(std::move(problem)), m_hint(std::move(hint)) {}

    const std::string& file() const { return m_file; }
    const std::string& problem() const { return m_problem; }
    const std::string& hint() const { return m_hint; }

private:
    static std::string compose(const std::string& file, const std::string& problem,
                               const std::string& hint) {
        std::string message = file.empty() ? problem : file + ": " + problem;
        if (!hint.empty()) message += " (" + hint + ")";
        return message;
    }

    std::string m_file;
    std::string m_problem;
    std::string m_hint;
};

}  // namespace aqlm
