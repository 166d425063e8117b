// The dependency rule made mechanical: engine/ and the CLI never include Qt; engine headers in
// engine/api never include Torch (the GUI links only those).
#include <QtTest/QtTest>

namespace {

QStringList offendingIncludes(const QString& folder, const QRegularExpression& forbidden) {
    QStringList offenders;
    QDirIterator it(folder, {"*.h", "*.cpp", "*.cu", "*.cuh"}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (!f.open(QIODevice::ReadOnly)) continue;
        int line = 0;
        for (const QByteArray& text : f.readAll().split('\n')) {
            ++line;
            if (forbidden.match(QString::fromUtf8(text)).hasMatch()) offenders << QString("%1:%2").arg(f.fileName()).arg(line);
        }
    }
    return offenders;
}

}  // namespace

class TestLayering : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void engineHasNoQt() {
        const QRegularExpression qt("^\\s*#\\s*include\\s*[<\"](Q[A-Za-z]+|Qt[A-Za-z]*/)");
        for (const char* folder : {"engine", "app/cli"}) {
            const QString path = QString(AQLM_SOURCE_DIR) + "/" + folder;
            QVERIFY2(QDir(path).exists(), qPrintable(path));
            const QStringList bad = offendingIncludes(path, qt);
            QVERIFY2(bad.isEmpty(), qPrintable("Qt included in " + bad.join(", ")));
        }
    }

    // The engine's floors, bottom up: a folder includes only engine folders at its own floor or below.
    // io < layers < model < {infer, eval, quant} < facade, dist (c10d collectives) < quant (api, runtime and library are usable anywhere
    // they are needed; library stays Torch-free).
    void engineFloorsPointDown() {
        const QMap<QString, QStringList> allowed = {
            {"io", {"api", "io"}},
            {"layers", {"api", "io", "runtime", "layers", "cuda"}},
            {"model", {"api", "io", "runtime", "layers", "model"}},
            {"infer", {"api", "io", "runtime", "layers", "model", "infer"}},
            {"eval", {"api", "io", "runtime", "layers", "model", "infer", "eval"}},
            {"dist", {"api", "dist"}},
            {"quant", {"api", "io", "runtime", "layers", "model", "infer", "eval", "dist", "quant"}},
            {"library", {"api", "library"}},
        };
        const QRegularExpression include("^\\s*#\\s*include\\s*\"engine/([a-z_]+)/");
        for (auto it = allowed.cbegin(); it != allowed.cend(); ++it) {
            const QString path = QString(AQLM_SOURCE_DIR) + "/engine/" + it.key();
            QVERIFY2(QDir(path).exists(), qPrintable(path));
            QStringList bad;
            QDirIterator files(path, {"*.h", "*.cpp", "*.inc"}, QDir::Files, QDirIterator::Subdirectories);
            while (files.hasNext()) {
                QFile f(files.next());
                QVERIFY(f.open(QIODevice::ReadOnly));
                int line = 0;
                for (const QByteArray& text : f.readAll().split('\n')) {
                    ++line;
                    const auto m = include.match(QString::fromUtf8(text));
                    if (m.hasMatch() && !it.value().contains(m.captured(1)))
                        bad << QString("%1:%2 includes engine/%3").arg(f.fileName()).arg(line).arg(m.captured(1));
                }
            }
            QVERIFY2(bad.isEmpty(), qPrintable(bad.join(", ")));
        }
    }

    // c10d (and through it Gloo's headers) stays inside engine/dist: nothing else needs libgloo-dev.
    void c10dOnlyInDist() {
        const QRegularExpression c10d("^\\s*#\\s*include\\s*[<\"](torch/csrc/distributed|gloo)/");
        QStringList bad;
        for (const char* folder : {"engine/api", "engine/io", "engine/layers", "engine/model", "engine/infer", "engine/eval",
                                   "engine/quant", "engine/facade", "engine/library", "app", "widgets"})
            bad << offendingIncludes(QString(AQLM_SOURCE_DIR) + "/" + folder, c10d);
        QVERIFY2(bad.isEmpty(), qPrintable("c10d included outside engine/dist in " + bad.join(", ")));
        QVERIFY(!offendingIncludes(QString(AQLM_SOURCE_DIR) + "/engine/dist", c10d).isEmpty());  // the pattern works
    }

    void apiHeadersHaveNoTorch() {
        const QRegularExpression torch("^\\s*#\\s*include\\s*[<\"](ATen|torch|c10)/");
        const QStringList bad = offendingIncludes(QString(AQLM_SOURCE_DIR) + "/engine/api", torch);
        QVERIFY2(bad.isEmpty(), qPrintable("Torch included in " + bad.join(", ")));
    }
};

QTEST_GUILESS_MAIN(TestLayering)
#include "tst_layering.moc"
