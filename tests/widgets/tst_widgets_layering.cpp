// widgets/ talks to the engine only through engine/api (and the Torch-free engine/library): no
// engine internals, no Torch. The
// executable (app/gui) is where the implementation is linked in.
#include <QtTest/QtTest>

class TestWidgetsLayering : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void widgetsUseOnlyTheEngineApi() {
        const QRegularExpression include(QStringLiteral("^\\s*#\\s*include\\s*[<\"]([^>\"]+)[>\"]"));
        QStringList offenders;
        int files = 0;
        QDirIterator it(QStringLiteral(AQLM_SOURCE_DIR "/widgets"), {"*.h", "*.cpp"}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            ++files;
            int line = 0;
            for (const QByteArray& text : f.readAll().split('\n')) {
                ++line;
                const auto m = include.match(QString::fromUtf8(text));
                if (!m.hasMatch()) continue;
                const QString path = m.captured(1);
                const bool torch = path.startsWith("torch/") || path.startsWith("ATen/") || path.startsWith("c10/");
                const bool internal = path.startsWith("engine/") && !path.startsWith("engine/api/") &&
                                      !path.startsWith("engine/library/");
                if (torch || internal) offenders << QString("%1:%2 %3").arg(f.fileName()).arg(line).arg(path);
            }
        }
        QVERIFY(files > 10);
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join("\n")));
    }
};

QTEST_GUILESS_MAIN(TestWidgetsLayering)
#include "tst_widgets_layering.moc"
