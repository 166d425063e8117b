// widgets/ talks to the engine only through engine/api (and the Torch-free engine/library): no
// engine internals, no Torch. The executable (app/gui) is where the implementation is linked in.
// Inside widgets/ the floors are core/ and plot/ at the bottom, bridge/ above them and the pages on
// top; a page never includes another page (what two pages share belongs in core/ or plot/).
#include <QtTest/QtTest>

namespace {

struct Include {
    QString file;  // relative to widgets/
    int line = 0;
    QString path;  // as written in the #include
};

QList<Include> includesOf(const QString& folder) {
    static const QRegularExpression include(QStringLiteral("^\\s*#\\s*include\\s*[<\"]([^>\"]+)[>\"]"));
    const QDir root(QStringLiteral(AQLM_SOURCE_DIR "/widgets"));
    QList<Include> out;
    QDirIterator it(root.filePath(folder), {"*.h", "*.cpp"}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(f.fileName()));
        int line = 0;
        for (const QByteArray& text : f.readAll().split('\n')) {
            ++line;
            const auto m = include.match(QString::fromUtf8(text));
            if (m.hasMatch()) out.push_back({root.relativeFilePath(f.fileName()), line, m.captured(1)});
        }
    }
    return out;
}

QString describe(const Include& i) { return QStringLiteral("widgets/%1:%2 %3").arg(i.file).arg(i.line).arg(i.path); }

// Each folder of widgets/ and the folders it may include from (itself included).
const QHash<QString, QStringList>& allowedFloors() {
    static const QStringList belowPages{"core", "plot", "bridge"};
    static const QHash<QString, QStringList> floors{
        {"core", {"core"}},
        {"plot", {"core", "plot"}},
        {"bridge", belowPages},
        {"library", belowPages + QStringList{"library"}},
        {"compress", belowPages + QStringList{"compress"}},
        {"evaluate", belowPages + QStringList{"evaluate"}},
        {"compare", belowPages + QStringList{"compare"}},
        {"chat", belowPages + QStringList{"chat"}},
        {"settings", belowPages + QStringList{"settings"}},
    };
    return floors;
}

}  // namespace

class TestWidgetsLayering : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void widgetsUseOnlyTheEngineApi() {
        const QList<Include> includes = includesOf({});
        QStringList offenders;
        for (const Include& i : includes) {
            const bool torch = i.path.startsWith("torch/") || i.path.startsWith("ATen/") || i.path.startsWith("c10/");
            const bool internal = i.path.startsWith("engine/") && !i.path.startsWith("engine/api/") &&
                                  !i.path.startsWith("engine/library/");
            if (torch || internal) offenders << describe(i);
        }
        QVERIFY(includes.size() > 10);
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join("\n")));
    }

    // A new folder has to say where it stands before anything may include it.
    void everyFolderHasAFloor() {
        const QStringList folders =
            QDir(QStringLiteral(AQLM_SOURCE_DIR "/widgets")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QVERIFY(folders.size() >= 9);
        for (const QString& folder : folders)
            QVERIFY2(allowedFloors().contains(folder), qPrintable("widgets/" + folder + " is not in allowedFloors()"));
    }

    void foldersIncludeOnlyTheirFloorAndBelow_data() {
        QTest::addColumn<QString>("folder");
        QStringList folders = allowedFloors().keys();
        folders.sort();
        for (const QString& folder : folders) QTest::newRow(qPrintable(folder)) << folder;
    }

    void foldersIncludeOnlyTheirFloorAndBelow() {
        QFETCH(QString, folder);
        const QStringList allowed = allowedFloors().value(folder);
        const QList<Include> includes = includesOf(folder);
        QVERIFY2(!includes.isEmpty(), qPrintable("no sources in widgets/" + folder));
        QStringList offenders;
        for (const Include& i : includes) {
            if (!i.path.startsWith("widgets/")) continue;
            const QString target = i.path.section('/', 1, 1);
            if (!allowed.contains(target)) offenders << describe(i);
        }
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join("\n")));
    }
};

QTEST_GUILESS_MAIN(TestWidgetsLayering)
#include "tst_widgets_layering.moc"
