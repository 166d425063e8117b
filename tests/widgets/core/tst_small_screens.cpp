// Small screens (issue 15.8): the main window fits 1280x720 in English, German and Chinese, and on
// every page at that size no visible widget is squeezed below its minimum size or overlaps a sibling.
#include "app/gui/main_window.h"
#include "widgets/chat/chat_page.h"
#include "widgets/core/library_service.h"
#include "widgets/core/translations.h"

#include <QAbstractScrollArea>
#include <QCheckBox>
#include <QToolButton>
#include <QLayout>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QtTest/QtTest>

using namespace aqlm::ui;

namespace {

QString describe(const QWidget* w) {
    return QStringLiteral("%1 '%2' %3x%4").arg(QString::fromLatin1(w->metaObject()->className()), w->objectName())
        .arg(w->width()).arg(w->height());
}

// Problems below root: widgets managed by a layout that got less than their minimum size, and
// visible siblings (laid out by the same layout) that overlap.
QStringList layoutProblems(QWidget* root) {
    QStringList problems;
    const QList<QWidget*> all = root->findChildren<QWidget*>();
    for (QWidget* w : all) {
        if (!w->isVisible() || w->isWindow()) continue;
        // Inside a scroll area's viewport the content may be larger than what shows: that is scrolling.
        bool scrolled = false;
        for (QWidget* p = w->parentWidget(); p && p != root; p = p->parentWidget())
            if (qobject_cast<QAbstractScrollArea*>(p)) scrolled = true;
        if (scrolled) continue;
        QWidget* parent = w->parentWidget();
        if (!parent || !parent->layout() || parent->layout()->indexOf(w) < 0) continue;
        const QSize min = w->minimumSizeHint().expandedTo(w->minimumSize());
        if (w->sizePolicy().horizontalPolicy() != QSizePolicy::Ignored && w->width() + 1 < min.width())
            problems << QStringLiteral("clipped width: %1 < %2").arg(describe(w)).arg(min.width());
        if (w->sizePolicy().verticalPolicy() != QSizePolicy::Ignored && w->height() + 1 < min.height())
            problems << QStringLiteral("clipped height: %1 < %2").arg(describe(w)).arg(min.height());
        for (QWidget* other : parent->findChildren<QWidget*>(Qt::FindDirectChildrenOnly)) {
            if (other == w || !other->isVisible() || other->isWindow() || parent->layout()->indexOf(other) < 0) continue;
            if (other < w) continue;  // each pair once
            if (w->geometry().intersected(other->geometry()).width() > 1 &&
                w->geometry().intersected(other->geometry()).height() > 1)
                problems << QStringLiteral("overlap: %1 and %2").arg(describe(w), describe(other));
        }
    }
    return problems;
}

}  // namespace

class TestSmallScreens : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pagesFit_data() {
        QTest::addColumn<QString>("language");
        QTest::newRow("en") << QStringLiteral("en");
        QTest::newRow("de") << QStringLiteral("de");
        QTest::newRow("zh_CN") << QStringLiteral("zh_CN");
    }
    void pagesFit() {
        QFETCH(QString, language);
        installTranslations(language);
        QTemporaryDir dir;
        LibraryService library(dir.filePath(QStringLiteral("library.sqlite3")));
        MainWindow window(&library);
        // What a 1280x720 screen leaves for a window (title bar and panel take some).
        const QSize screen(1280, 680);
        const QSize needed = window.minimumSizeHint().expandedTo(window.minimumSize());
        QStringList pageNeeds;
        for (int i = 0; i < window.tabs()->count(); ++i)
            pageNeeds << QStringLiteral("%1 %2x%3").arg(window.tabs()->tabText(i))
                             .arg(window.tabs()->widget(i)->minimumSizeHint().width())
                             .arg(window.tabs()->widget(i)->minimumSizeHint().height());
        QVERIFY2(needed.width() <= screen.width() && needed.height() <= screen.height(),
                 qPrintable(QStringLiteral("%1: the window needs %2x%3 (%4)").arg(language).arg(needed.width()).arg(needed.height())
                               .arg(pageNeeds.join(QStringLiteral(", ")))));
        window.resize(screen);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList problems;
        for (int i = 0; i < window.tabs()->count(); ++i) {
            window.tabs()->setCurrentIndex(i);
            QCoreApplication::processEvents();
            for (const QString& p : layoutProblems(window.tabs()->currentWidget()))
                problems << window.tabs()->tabText(i) + QStringLiteral(": ") + p;
        }
        QVERIFY2(problems.isEmpty(), qPrintable(language + QStringLiteral("\n") + problems.join(QLatin1Char('\n'))));
        installTranslations(QStringLiteral("en"));
    }

    // The Chat page alone at 1024x700, side by side, with the sampling column shown and collapsed.
    void chatFits1024x700() {
        QTemporaryDir dir;
        LibraryService library(dir.filePath(QStringLiteral("library.sqlite3")));
        ChatPage page(&library);
        page.resize(1024, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto* sideBySide = page.findChild<QCheckBox*>();
        QVERIFY(sideBySide);
        sideBySide->setChecked(true);
        QCOMPARE(page.paneOrientation(), Qt::Vertical);  // narrow: the two answers one above the other
        for (bool sampling : {true, false}) {
            page.samplingToggle()->setChecked(sampling);
            QCOMPARE(page.samplingColumn()->isVisible(), sampling);
            QCoreApplication::processEvents();
            QVERIFY2(page.minimumSizeHint().width() <= 1024 && page.minimumSizeHint().height() <= 700,
                     qPrintable(QStringLiteral("needs %1x%2").arg(page.minimumSizeHint().width()).arg(page.minimumSizeHint().height())));
            const QStringList problems = layoutProblems(&page);
            QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        }
        page.resize(1500, 800);
        QCOMPARE(page.paneOrientation(), Qt::Horizontal);  // wide: next to each other
    }
};

QTEST_MAIN(TestSmallScreens)
#include "tst_small_screens.moc"
