#include "widgets/compare/compare_page.h"

#include "widgets/compare/compare_plot.h"
#include "widgets/core/library_service.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTextStream>
#include <QVBoxLayout>

#include <exception>

namespace aqlm::ui {
namespace {

// ColModelBits comes last so the columns before it keep their places in exports and tests.
enum Column { ColName, ColMethod, ColScheme, ColBits, ColSize, ColSpeed, ColPpl, ColDelta, ColPercent, ColModelBits,
              ColumnCount };

QTableWidgetItem* cell(const QString& text, bool number = false) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    if (number) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QString optionalNumber(const std::optional<double>& v, int decimals, const QString& prefix = {}) {
    if (!v) return QStringLiteral("–");
    return (prefix.isEmpty() || *v < 0 ? QString() : prefix) + QString::number(*v, 'f', decimals);
}

}  // namespace

ComparePage::ComparePage(LibraryService* library, QWidget* parent) : QWidget(parent), m_library(library) {
    m_base = new QComboBox;
    m_dataset = new QComboBox;
    m_axis = new QComboBox;
    m_axis->addItem(tr("bits / parameter (quantized layers)"), int(CompareAxis::BitsPerParam));
    m_axis->addItem(tr("bits / parameter (whole model)"), int(CompareAxis::ModelBitsPerParam));
    m_axis->addItem(tr("size on disk (MB)"), int(CompareAxis::SizeMb));
    m_axis->addItem(tr("decode tokens/s"), int(CompareAxis::DecodeTokensPerSecond));
    m_base->setMinimumContentsLength(18);
    m_dataset->setMinimumContentsLength(16);
    m_exportPng = new QPushButton(tr("Export PNG…"));
    m_exportSvg = new QPushButton(tr("Export SVG…"));
    m_exportCsv = new QPushButton(tr("Export CSV…"));
    m_message = new QLabel;
    m_message->setWordWrap(true);
    m_plot = new ComparePlot;
    m_table = new QTableWidget(0, ColumnCount);
    m_table->setHorizontalHeaderLabels({tr("Model"), tr("Method"), tr("Scheme"), tr("Bits/param (quantized layers)"),
                                        tr("Size (MB)"), tr("Decode tok/s"), tr("PPL"), tr("ΔPPL"), tr("Δ%"),
                                        tr("Bits/param (whole model)")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ColName, QHeaderView::Stretch);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Base model:")));
    bar->addWidget(m_base, 1);
    bar->addWidget(new QLabel(tr("Dataset:")));
    bar->addWidget(m_dataset, 2);
    bar->addWidget(new QLabel(tr("x axis:")));
    bar->addWidget(m_axis);
    // The exports get their own row: one row of everything needs more than a 1280-pixel screen.
    auto* exports = new QHBoxLayout;
    exports->addStretch();
    exports->addWidget(m_exportPng);
    exports->addWidget(m_exportSvg);
    exports->addWidget(m_exportCsv);

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_plot);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_message);
    layout->addWidget(split, 1);
    layout->addLayout(exports);

    connect(m_base, &QComboBox::currentIndexChanged, this, [this] {
        if (m_reloading) return;
        reloadDatasets();
        rebuild();
    });
    connect(m_dataset, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_reloading) rebuild();
    });
    connect(m_axis, &QComboBox::currentIndexChanged, this, [this] { rebuild(); });
    connect(m_exportPng, &QPushButton::clicked, this,
            [this] { askAndExport(tr("PNG image (*.png)"), QStringLiteral("png"), &ComparePage::exportPng); });
    connect(m_exportSvg, &QPushButton::clicked, this,
            [this] { askAndExport(tr("SVG image (*.svg)"), QStringLiteral("svg"), &ComparePage::exportSvg); });
    connect(m_exportCsv, &QPushButton::clicked, this,
            [this] { askAndExport(tr("CSV table (*.csv)"), QStringLiteral("csv"), &ComparePage::exportCsv); });

    if (!m_library) {
        m_message->setText(tr("The model library could not be opened, so there is nothing to compare."));
        for (QWidget* w : std::initializer_list<QWidget*>{m_base, m_dataset, m_axis, m_exportPng, m_exportSvg, m_exportCsv})
            w->setEnabled(false);
        return;
    }
    connect(m_library, &LibraryService::changed, this, &ComparePage::refresh);
    refresh();
}

CompareAxis ComparePage::axis() const { return CompareAxis(m_axis->currentData().toInt()); }

void ComparePage::setAxis(CompareAxis axis) { m_axis->setCurrentIndex(m_axis->findData(int(axis))); }

void ComparePage::setBaseModel(qint64 modelId) {
    const int index = m_base->findData(modelId);
    if (index >= 0) m_base->setCurrentIndex(index);
}

void ComparePage::refresh() {
    if (!m_library) return;
    const QVariant previous = m_base->currentData();
    m_reloading = true;
    m_base->clear();
    try {
        for (const auto& model : m_library->db().listModels())
            if (!m_library->db().listVariants(model.id).empty())
                m_base->addItem(QString::fromStdString(model.name), qint64(model.id));
    } catch (const std::exception& e) {
        m_message->setText(tr("Could not read the library: %1").arg(QString::fromUtf8(e.what())));
    }
    const int index = m_base->findData(previous);
    m_base->setCurrentIndex(index >= 0 ? index : (m_base->count() ? 0 : -1));
    m_reloading = false;
    reloadDatasets();
    rebuild();
}

void ComparePage::reloadDatasets() {
    m_input = CompareInput{};
    m_datasets.clear();
    if (m_library && m_base->currentIndex() >= 0) {
        try {
            m_input = loadCompareInput(m_library->db(), m_base->currentData().toLongLong());
        } catch (const std::exception& e) {
            m_message->setText(tr("Could not read the library: %1").arg(QString::fromUtf8(e.what())));
        }
        m_datasets = datasetChoices(m_input);
    }
    m_reloading = true;
    m_dataset->clear();
    int same = -1;
    for (size_t i = 0; i < m_datasets.size(); ++i) {
        const DatasetChoice& d = m_datasets[i];
        m_dataset->addItem(tr("%1 (seq %2, %3 windows; %n model(s))", nullptr, d.models)
                               .arg(d.fileName)
                               .arg(d.key.seqLen)
                               .arg(d.key.windows));
        if (m_haveDataset && d.key == m_lastDataset) same = int(i);
    }
    m_dataset->setCurrentIndex(same >= 0 ? same : (m_dataset->count() ? 0 : -1));
    m_reloading = false;
}

void ComparePage::rebuild() {
    if (!m_library) return;
    const int d = m_dataset->currentIndex();
    m_haveDataset = d >= 0 && d < int(m_datasets.size());
    if (m_haveDataset) m_lastDataset = m_datasets[size_t(d)].key;
    m_comparison = buildComparison(m_input, d >= 0 && d < int(m_datasets.size()) ? m_datasets[size_t(d)].key : DatasetKey{});
    m_plot->setComparison(m_comparison, axis());
    fillTable();

    QString message;
    if (m_base->count() == 0)
        message = tr("No compressed variants in the library yet: compress a model on the Compress page first.");
    else if (m_datasets.empty())
        message = tr("No perplexity evaluations of this model or its variants yet: run some on the Evaluate page.");
    else {
        int missing = 0;
        for (const auto& e : m_comparison.variants)
            if (!axisValue(e, axis()) || !e.perplexity) ++missing;
        if (missing > 0)
            message = axis() == CompareAxis::DecodeTokensPerSecond
                          ? tr("%n variant(s) not plotted: no perplexity on this dataset or no speed measurement "
                               "(Evaluate page, Measure speed).", nullptr, missing)
                          : tr("%n variant(s) not plotted: no perplexity on this dataset.", nullptr, missing);
        if (!m_comparison.original.perplexity)
            message += (message.isEmpty() ? QString() : QStringLiteral(" ")) +
                       tr("The original model has no evaluation on this dataset, so there is no reference line.");
    }
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
    const bool hasData = !m_comparison.variants.empty();
    m_exportPng->setEnabled(hasData);
    m_exportSvg->setEnabled(hasData);
    m_exportCsv->setEnabled(hasData);
}

void ComparePage::fillTable() {
    m_table->setRowCount(0);
    // Variants on the Pareto front of the current axis are shown in bold.
    const auto points = plotPoints(m_comparison, axis());
    std::vector<QPointF> positions;
    for (const auto& p : points) positions.push_back(p.position);
    std::vector<bool> onFront(m_comparison.variants.size(), false);
    for (size_t i : paretoFront(positions, higherIsBetter(axis()))) onFront[points[i].variant] = true;

    auto addRow = [this](const CompareEntry& e, bool front) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        // A fine-tuned variant names its parent, like its point's label.
        m_table->setItem(row, ColName, cell(e.parentName.isEmpty() ? e.name : e.name + QStringLiteral(" ← ") + e.parentName));
        m_table->setItem(row, ColMethod, cell(e.method.isEmpty() ? tr("original") : e.method.toUpper()));
        m_table->setItem(row, ColScheme, cell(e.scheme));
        m_table->setItem(row, ColBits, cell(QString::number(e.bitsPerParam, 'f', 3), true));
        m_table->setItem(row, ColSize, cell(e.sizeMb > 0 ? QString::number(e.sizeMb, 'f', 2) : QStringLiteral("–"), true));
        m_table->setItem(row, ColSpeed, cell(optionalNumber(e.tokensPerSecond, 1), true));
        m_table->setItem(row, ColPpl, cell(optionalNumber(e.perplexity, 3), true));
        m_table->setItem(row, ColDelta, cell(optionalNumber(e.deltaPpl, 3, QStringLiteral("+")), true));
        m_table->setItem(row, ColPercent, cell(optionalNumber(e.deltaPercent, 1, QStringLiteral("+")), true));
        m_table->setItem(row, ColModelBits, cell(QString::number(e.modelBitsPerParam, 'f', 3), true));
        if (!front) return;
        for (int c = 0; c < ColumnCount; ++c) {
            QFont bold = m_table->item(row, c)->font();
            bold.setBold(true);
            m_table->item(row, c)->setFont(bold);
            m_table->item(row, c)->setToolTip(tr("On the Pareto front: no other variant is better on both axes."));
        }
    };
    if (m_base->currentIndex() < 0) return;
    addRow(m_comparison.original, false);
    for (size_t i = 0; i < m_comparison.variants.size(); ++i) addRow(m_comparison.variants[i], onFront[i]);
}

bool ComparePage::exportPng(const QString& path) { return m_plot->exportPng(path); }

bool ComparePage::exportSvg(const QString& path) { return m_plot->exportSvg(path); }

bool ComparePage::exportCsv(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
    QTextStream out(&file);
    out.setEncoding(QStringConverter::Utf8);
    out << comparisonCsv(m_comparison, axis());
    out.flush();
    return file.error() == QFileDevice::NoError;
}

void ComparePage::askAndExport(const QString& filter, const QString& suffix,
                               bool (ComparePage::*writer)(const QString&)) {
    QString path = QFileDialog::getSaveFileName(this, tr("Export"), m_base->currentText() + QLatin1Char('.') + suffix, filter);
    if (path.isEmpty()) return;
    if (!path.endsWith(QLatin1Char('.') + suffix, Qt::CaseInsensitive)) path += QLatin1Char('.') + suffix;
    if ((this->*writer)(path)) {
        Q_EMIT statusMessage(tr("Exported %1").arg(path));
    } else {
        m_message->setText(tr("Could not write %1").arg(path));
        m_message->setVisible(true);
    }
}

}  // namespace aqlm::ui
