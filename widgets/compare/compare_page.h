#pragma once
// The Compare page: a base model and all its variants, perplexity on one dataset against bits/param,
// size on disk or decode tokens/s (ComparePlot), a table with the difference to the original, and
// export of the plot (PNG, SVG) and the data (CSV). Refreshes whenever the library changes.
#include "widgets/compare/compare_data.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace aqlm::ui {

class ComparePlot;
class LibraryService;

class ComparePage : public QWidget {
    Q_OBJECT
public:
    // library may be null (the library failed to open): the page then only says so.
    explicit ComparePage(LibraryService* library, QWidget* parent = nullptr);

    ComparePlot* plot() const { return m_plot; }
    QTableWidget* table() const { return m_table; }
    QComboBox* baseCombo() const { return m_base; }
    QComboBox* datasetCombo() const { return m_dataset; }
    QComboBox* axisCombo() const { return m_axis; }
    QLabel* messageLabel() const { return m_message; }
    const Comparison& comparison() const { return m_comparison; }
    CompareAxis axis() const;

    void setBaseModel(qint64 modelId);
    void setAxis(CompareAxis axis);
    bool exportPng(const QString& path);
    bool exportSvg(const QString& path);
    bool exportCsv(const QString& path);

Q_SIGNALS:
    void statusMessage(const QString& message);

public Q_SLOTS:
    void refresh();  // re-reads the library, keeping the chosen base model and dataset

private:
    void reloadDatasets();
    void rebuild();
    void fillTable();
    void askAndExport(const QString& filter, const QString& suffix, bool (ComparePage::*writer)(const QString&));

    LibraryService* m_library;
    QComboBox* m_base = nullptr;
    QComboBox* m_dataset = nullptr;
    QComboBox* m_axis = nullptr;
    QPushButton* m_exportPng = nullptr;
    QPushButton* m_exportSvg = nullptr;
    QPushButton* m_exportCsv = nullptr;
    QLabel* m_message = nullptr;
    ComparePlot* m_plot = nullptr;
    QTableWidget* m_table = nullptr;
    CompareInput m_input;
    std::vector<DatasetChoice> m_datasets;
    Comparison m_comparison;
    DatasetKey m_lastDataset;  // kept across refreshes so a new evaluation does not switch datasets
    bool m_haveDataset = false;
    bool m_reloading = false;
};

}  // namespace aqlm::ui
