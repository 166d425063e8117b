// Translations: every .ts entry is finished, the .ts files cover every tr() string in the sources
// (lupdate run over a copy finds nothing new), and switching the language changes what pages show.
#include "widgets/bridge/job_controller.h"
#include "widgets/compress/bit_estimate_label.h"
#include "widgets/compress/compress_page.h"
#include "widgets/plot/run_monitor.h"
#include "widgets/core/translations.h"

#include <QLibraryInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QPushButton>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest/QtTest>

namespace {

struct TsSummary {
    int messages = 0;
    QStringList unfinished;  // source texts without a finished translation
};

TsSummary readTs(const QString& path) {
    TsSummary summary;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        summary.unfinished << QStringLiteral("cannot open %1").arg(path);
        return summary;
    }
    QXmlStreamReader xml(&file);
    QString source;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) continue;
        if (xml.name() == QLatin1String("source")) {
            source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            ++summary.messages;
            const QString type = xml.attributes().value(QLatin1String("type")).toString();
            const bool numerus = xml.attributes().value(QLatin1String("numerus")).isEmpty() == false;
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            if (!type.isEmpty() || (text.trimmed().isEmpty() && !numerus)) summary.unfinished << source;
        }
    }
    if (xml.hasError()) summary.unfinished << QStringLiteral("%1: XML error %2").arg(path, xml.errorString());
    return summary;
}

QString tsPath(const QString& language) {
    return QStringLiteral(AQLM_SOURCE_DIR "/translations/aqlmstudio_%1.ts").arg(language);
}

QString lupdatePath() {
    const QString bin = QLibraryInfo::path(QLibraryInfo::BinariesPath) + QStringLiteral("/lupdate");
    if (QFileInfo::exists(bin)) return bin;
    return QStringLiteral("/usr/lib/qt6/bin/lupdate");
}

}  // namespace

class TestTranslations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tsFilesAreFinished_data() {
        QTest::addColumn<QString>("language");
        QTest::newRow("de") << QStringLiteral("de");
        QTest::newRow("zh_CN") << QStringLiteral("zh_CN");
    }
    void tsFilesAreFinished() {
        QFETCH(QString, language);
        const TsSummary summary = readTs(tsPath(language));
        QVERIFY2(summary.messages > 100, qPrintable(QStringLiteral("only %1 messages").arg(summary.messages)));
        QVERIFY2(summary.unfinished.isEmpty(),
                 qPrintable(QStringLiteral("%1 unfinished in %2, e.g.:\n%3")
                                .arg(summary.unfinished.size())
                                .arg(tsPath(language), summary.unfinished.mid(0, 25).join(QLatin1Char('\n')))));
    }

    // A string added to the code without a translation shows up as a new unfinished entry.
    void tsFilesCoverTheSources_data() { tsFilesAreFinished_data(); }
    void tsFilesCoverTheSources() {
        QFETCH(QString, language);
        if (!QFileInfo::exists(lupdatePath())) QSKIP("lupdate not installed (qt6-l10n-tools)");
        QTemporaryDir dir;
        const QString copy = dir.filePath(QStringLiteral("copy.ts"));
        QVERIFY(QFile::copy(tsPath(language), copy));
        QProcess lupdate;
        lupdate.setWorkingDirectory(QStringLiteral(AQLM_SOURCE_DIR));
        // -I: lupdate resolves namespaces (the contexts) through the project's includes.
        lupdate.start(lupdatePath(), {QStringLiteral("-I"), QStringLiteral(AQLM_SOURCE_DIR), QStringLiteral("widgets"), QStringLiteral("app/gui"), QStringLiteral("-ts"), copy,
                                      QStringLiteral("-no-obsolete"), QStringLiteral("-locations"),
                                      QStringLiteral("none"), QStringLiteral("-silent")});
        QVERIFY(lupdate.waitForFinished(120000));
        QVERIFY2(lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());
        const TsSummary summary = readTs(copy);
        QVERIFY2(summary.unfinished.isEmpty(),
                 qPrintable(QStringLiteral("strings in the code without a %1 translation (run ninja -C build "
                                           "update_translations and translate them):\n%2")
                                .arg(language, summary.unfinished.mid(0, 25).join(QLatin1Char('\n')))));
    }

    // Issue 15.4: what the GUI says never tells the user to pass a command-line flag.
    void noStringNamesACommandLineFlag() {
        QFile file(tsPath(QStringLiteral("de")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        const QRegularExpression flag(QStringLiteral("(^|\\s|\\()--[a-z]"));
        QStringList offenders;
        int sources = 0;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement() || xml.name() != QLatin1String("source")) continue;
            const QString source = xml.readElementText();
            ++sources;
            if (flag.match(source).hasMatch()) offenders << source;
        }
        QVERIFY(sources > 100);
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(QLatin1Char('\n'))));
    }

    // Issue 15.10: engine messages (English) reach the user behind a translated lead-in.
    void engineMessagesGetATranslatedLeadIn() {
        QCOMPARE(aqlm::ui::installTranslations(QStringLiteral("de")), QStringLiteral("de"));
        aqlm::ui::RunMonitor monitor;
        monitor.onFailed(QStringLiteral("/m/x.bin: not a model file"));
        QVERIFY2(monitor.statusText().startsWith(QStringLiteral("Fehlgeschlagen")), qPrintable(monitor.statusText()));
        aqlm::ui::BitEstimateLabel label;
        label.request(QStringLiteral("/nonexistent/model.bin"), aqlm::CompressionOptions{});
        label.updateNow();
        QVERIFY(label.hasError());
        QVERIFY2(label.text().contains(QStringLiteral("Schätzung nicht möglich")), qPrintable(label.text()));
        aqlm::ui::installTranslations(QStringLiteral("en"));
    }

    void switchingLanguageChangesTheLabels() {
        aqlm::ui::JobController jobs;
        QCOMPARE(aqlm::ui::installTranslations(QStringLiteral("en")), QStringLiteral("en"));
        {
            aqlm::ui::CompressPage english(&jobs);
            QCOMPARE(english.startButton()->text(), QStringLiteral("Start"));
        }
        QCOMPARE(aqlm::ui::installTranslations(QStringLiteral("de")), QStringLiteral("de"));
        {
            aqlm::ui::CompressPage german(&jobs);
            QCOMPARE(german.startButton()->text(), QStringLiteral("Starten"));
            QCOMPARE(german.cancelButton()->text(), QStringLiteral("Abbrechen"));
        }
        QCOMPARE(aqlm::ui::installTranslations(QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
        {
            aqlm::ui::CompressPage chinese(&jobs);
            QCOMPARE(chinese.startButton()->text(), QStringLiteral("开始"));
        }
        // An unknown language falls back to English rather than failing.
        QCOMPARE(aqlm::ui::installTranslations(QStringLiteral("xx")), QStringLiteral("en"));
        aqlm::ui::CompressPage back(&jobs);
        QCOMPARE(back.startButton()->text(), QStringLiteral("Start"));
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
