#pragma once
// Parses the reference outputs in ../shared/golden/*.txt so tests compare against the files
// themselves rather than numbers copied into the code.
#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace aqlm::test {

struct TopLogits {
    int32_t input = 0;
    std::vector<std::pair<int32_t, float>> top;  // (token id, logit), best first
};

inline QString readGolden(const std::string& path) {
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll());
}

inline std::vector<int32_t> parseIds(const QString& text) {
    std::vector<int32_t> ids;
    for (const QString& t : text.split(QRegularExpression("\\s+"), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int v = t.toInt(&ok);
        if (ok) ids.push_back(v);
    }
    return ids;
}

// Lines "pos N (input X): (id, logit) (id, logit) ..." in order of N.
inline std::vector<TopLogits> parseTopLogits(const QString& golden) {
    std::vector<TopLogits> out;
    QRegularExpression line("^pos (\\d+) \\(input (\\d+)\\):(.*)$", QRegularExpression::MultilineOption);
    QRegularExpression pair("\\((\\d+), (-?[0-9.]+)\\)");
    for (auto it = line.globalMatch(golden); it.hasNext();) {
        auto m = it.next();
        TopLogits t;
        t.input = m.captured(2).toInt();
        for (auto p = pair.globalMatch(m.captured(3)); p.hasNext();) {
            auto pm = p.next();
            t.top.push_back({pm.captured(1).toInt(), pm.captured(2).toFloat()});
        }
        out.push_back(t);
    }
    return out;
}

// Text between the n-th "<<<" line and the following ">>>" line (0-based).
inline QString quotedBlock(const QString& golden, int n) {
    int from = 0;
    for (int i = 0; i <= n; ++i) {
        from = golden.indexOf("<<<\n", from);
        if (from < 0) return {};
        from += 4;
    }
    const int to = golden.indexOf("\n>>>", from);
    return to < 0 ? QString() : golden.mid(from, to - from);
}

}  // namespace aqlm::test
