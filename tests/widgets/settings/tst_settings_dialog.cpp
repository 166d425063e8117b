// The settings dialog: values round-trip through QSettings (a temporary settings path), Cancel
// keeps the stored values, the CUDA entry is disabled unless the engine reports CUDA, and a stored
// "cuda" on a machine without it reads back as CPU.
#include "widgets/core/app_settings.h"
#include "widgets/settings/settings_dialog.h"

#include "engine/api/engine_facade.h"

#include <QComboBox>
#include <QSettings>
#include <QtTest/QtTest>

#include "isolated_settings.h"

using namespace aqlm::ui;

class TestSettingsDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        isolateUserSettings(m_dir);
        qunsetenv("AQLM_STUDIO_DATA");  // the stored data folder must be what reads back
    }

    void valuesRoundTrip() {
        const EngineCapabilities withCuda{true, "test engine"};
        {
            SettingsDialog dialog(withCuda);
            dialog.setThreads(3);
            dialog.setDevice("cuda");
            dialog.setDataFolder(m_dir.filePath("data"));
            dialog.setLanguage("zh_CN");
            dialog.accept();
        }
        QCOMPARE(AppSettings::threads(), 3);
        QCOMPARE(AppSettings::device(), QString("cuda"));
        QCOMPARE(AppSettings::dataFolder(), m_dir.filePath("data"));
        QCOMPARE(AppSettings::language(), QString("zh_CN"));
        // The values are in the settings file, not just in memory.
        QSettings raw("AQLM Studio", "aqlm-studio");
        QVERIFY(raw.fileName().startsWith(m_dir.path()));
        QCOMPARE(raw.value("engine/threads").toInt(), 3);

        SettingsDialog reopened(withCuda);
        QCOMPARE(reopened.threads(), 3);
        QCOMPARE(reopened.device(), QString("cuda"));
        QCOMPARE(reopened.dataFolder(), m_dir.filePath("data"));
        QCOMPARE(reopened.language(), QString("zh_CN"));

        // Cancel stores nothing.
        reopened.setThreads(0);
        reopened.setLanguage("de");
        reopened.reject();
        QCOMPARE(AppSettings::threads(), 3);
        QCOMPARE(AppSettings::language(), QString("zh_CN"));

        SettingsDialog english(withCuda);
        english.setThreads(0);
        english.setLanguage("de");
        english.accept();
        QCOMPARE(AppSettings::threads(), 0);
        QCOMPARE(AppSettings::language(), QString("de"));
    }

    void cudaEntryFollowsTheEngine() {
        SettingsDialog withCuda(EngineCapabilities{true, "cuda engine"});
        QVERIFY(withCuda.isCudaSelectable());
        AppSettings::setDevice("cuda");
        SettingsDialog without(EngineCapabilities{false, "cpu engine"});
        QVERIFY(!without.isCudaSelectable());
        QCOMPARE(without.device(), QString("cpu"));  // what will actually run
        auto* device = without.findChild<QComboBox*>();
        QVERIFY(device);

        // This build's engine: CUDA selectable exactly when the engine says so.
        const EngineCapabilities real = EngineCapabilities::query();
        QCOMPARE(real.cudaAvailable, aqlm::cudaAvailable());
        QVERIFY(real.buildInfo.contains("LibTorch"));
        SettingsDialog fromEngine;
        QCOMPARE(fromEngine.isCudaSelectable(), aqlm::cudaAvailable());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settings_dialog.moc"
