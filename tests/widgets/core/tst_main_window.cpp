// The main window's Help menu (issue 15.5): About names the version and the engine (threads,
// instruction set, CUDA); the documentation entry opens the installed README or says it is missing.
#include "app/gui/main_window.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QtTest/QtTest>

using namespace aqlm::ui;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void helpMenuHasAboutAndDocumentation() {
        MainWindow window(nullptr);
        QMenu* help = nullptr;
        for (QAction* a : window.menuBar()->actions())
            if (a->menu() && a->text().remove('&') == QStringLiteral("Help")) help = a->menu();
        QVERIFY(help);
        QStringList entries;
        for (QAction* a : help->actions()) entries << a->text().remove('&');
        QVERIFY2(entries.contains("About AQLM Studio") && entries.contains("Documentation"), qPrintable(entries.join(", ")));
        auto* docs = window.findChild<QAction*>(QStringLiteral("documentationAction"));
        QVERIFY(docs);
        QCOMPARE(docs->isEnabled(), !MainWindow::documentationPath().isEmpty());
        if (!docs->isEnabled()) QVERIFY(docs->toolTip().contains("not installed"));

        const QString about = MainWindow::aboutText();
        QVERIFY2(about.contains(QStringLiteral(AQLM_VERSION)), qPrintable(about));
        QVERIFY2(about.contains("LibTorch") && about.contains("threads"), qPrintable(about));
        QVERIFY2(about.contains("avx512") || about.contains("avx2") || about.contains("scalar"), qPrintable(about));
        QVERIFY2(about.contains("CUDA"), qPrintable(about));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
