<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChatConversation</name>
    <message>
        <source>Could not read the conversation: %1</source>
        <translation>无法读取对话：%1</translation>
    </message>
    <message>
        <source>Could not save the conversation: %1</source>
        <translation>无法保存对话：%1</translation>
    </message>
    <message>
        <source>Story with %1</source>
        <translation>与 %1 的故事</translation>
    </message>
    <message>
        <source>Could not save your message: %1</source>
        <translation>无法保存您的消息：%1</translation>
    </message>
    <message>
        <source>Could not rename the conversation: %1</source>
        <translation>无法重命名对话：%1</translation>
    </message>
    <message>
        <source>Could not clear the conversation: %1</source>
        <translation>无法清空对话：%1</translation>
    </message>
    <message>
        <source>Could not delete the conversation: %1</source>
        <translation>无法删除对话：%1</translation>
    </message>
    <message>
        <source>Could not save the answer: %1</source>
        <translation>无法保存回答：%1</translation>
    </message>
    <message>
        <source>Could not read the model library: %1</source>
        <translation>无法读取模型库：%1</translation>
    </message>
    <message>
        <source>(removed model)</source>
        <translation>（已移除的模型）</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::BitEstimateLabel</name>
    <message>
        <source>Choose a model to see the predicted size.</source>
        <translation>选择一个模型以查看预测大小。</translation>
    </message>
    <message>
        <source>Predicted: &lt;b&gt;%1 bits/param&lt;/b&gt; on quantized layers, %2 bits/param whole model, %3 MB on disk (codebooks: %4% of the quantized bits).</source>
        <translation>预测：量化层 &lt;b&gt;%1 比特/参数&lt;/b&gt;，整个模型 %2 比特/参数，磁盘占用 %3 MB（码本占量化比特的 %4%）。</translation>
    </message>
    <message>
        <source>Memory: about %1 needed, %2 available.</source>
        <translation>内存：约需 %1，可用 %2。</translation>
    </message>
    <message>
        <source>Does not fit in memory: about %1 needed, %2 available. %3</source>
        <translation>内存不足：约需 %1，可用 %2。%3</translation>
    </message>
    <message>
        <source>Cannot estimate: %1</source>
        <translation>无法估算：%1</translation>
    </message>
    <message>
        <source>These settings cannot run on this model: %1</source>
        <translation>这些设置无法在此模型上运行：%1</translation>
    </message>
    <message>
        <source>The codebooks take %1% of the bits on a model this small: fewer bits per codebook (for example %2x8) leave more of the budget to the codes.</source>
        <translation>在这么小的模型上，码本占用了 %1% 的比特：减少每个码本的比特数（例如 %2x8）可为编码留出更多预算。</translation>
    </message>
    <message>
        <source>The codebooks take %1% of the bits on a model this small; AQLM pays off on larger models.</source>
        <translation>在这么小的模型上，码本占用了 %1% 的比特；AQLM 在更大的模型上才更划算。</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ChatMarkdown</name>
    <message>
        <source>%1 tok/s · first token %2 ms</source>
        <translation>%1 token/秒 · 首个 token %2 毫秒</translation>
    </message>
    <message>
        <source> · %1/%2 tokens of context</source>
        <translation> · 上下文 %1/%2 个 token</translation>
    </message>
    <message>
        <source> · %1 tokens of context</source>
        <translation> · 上下文 %1 个 token</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>- Model: %1
</source>
        <translation>- 模型：%1
</translation>
    </message>
    <message>
        <source>- Side by side with: %1
</source>
        <translation>- 并排对比：%1
</translation>
    </message>
    <message>
        <source>- Mode: %1
</source>
        <translation>- 模式：%1
</translation>
    </message>
    <message>
        <source>continue the story</source>
        <translation>续写故事</translation>
    </message>
    <message>
        <source>chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>- Started: %1
</source>
        <translation>- 开始时间：%1
</translation>
    </message>
    <message>
        <source>- System prompt: %1
</source>
        <translation>- 系统提示词：%1
</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ChatPage</name>
    <message>
        <source>Memory: about %1 needed, %2 available.</source>
        <translation>内存：约需 %1，可用 %2。</translation>
    </message>
    <message>
        <source>The model library could not be opened, so there are no models to chat with.</source>
        <translation>无法打开模型库，因此没有可以聊天的模型。</translation>
    </message>
    <message>
        <source>Could not load %1: %2</source>
        <translation>无法加载 %1：%2</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Save the conversation as Markdown</source>
        <translation>将对话保存为 Markdown</translation>
    </message>
    <message>
        <source>Side by side with</source>
        <translation>并排对比</translation>
    </message>
    <message>
        <source>Send the same prompt to a second model, e.g. the original and its compressed variant</source>
        <translation>将同一提示词发送给第二个模型，例如原始模型及其压缩变体</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Continue the story</source>
        <translation>续写故事</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>System prompt (optional): applied through the model's chat template</source>
        <translation>系统提示词（可选）：通过模型的聊天模板应用</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the last answer</source>
        <translation>复制最后一条回答</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Remove every message of this conversation</source>
        <translation>删除此对话中的所有消息</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Start or steer the story; leave empty to simply continue it</source>
        <translation>开始或引导故事；留空则直接续写</translation>
    </message>
    <message>
        <source>Type a message</source>
        <translation>输入消息</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>%1, last used %2</source>
        <translation>%1，上次使用 %2</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>Chat template: %1</source>
        <translation>聊天模板：%1</translation>
    </message>
    <message>
        <source>Pick a model first.</source>
        <translation>请先选择一个模型。</translation>
    </message>
    <message>
        <source>Pick a different second model for side by side.</source>
        <translation>并排对比请选择另一个不同的第二模型。</translation>
    </message>
    <message>
        <source> · stopped</source>
        <translation> · 已停止</translation>
    </message>
    <message numerus="yes">
        <source> · %n oldest turn(s) left out to fit the context</source>
        <translation>
            <numerusform> · 为适应上下文，省略了最早的 %n 轮对话</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — %2 tok/s</source>
        <translation>%1 — %2 token/秒</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>The answer failed: %1</source>
        <translation>回答失败：%1</translation>
    </message>
    <message>
        <source>Answer copied.</source>
        <translation>已复制回答。</translation>
    </message>
    <message>
        <source>Clear conversation</source>
        <translation>清空对话</translation>
    </message>
    <message>
        <source>Remove every message of this conversation?</source>
        <translation>删除此对话中的所有消息？</translation>
    </message>
    <message>
        <source>The conversation's model is no longer in the library.</source>
        <translation>该对话使用的模型已不在模型库中。</translation>
    </message>
    <message>
        <source>Rename conversation</source>
        <translation>重命名对话</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Delete conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <source>Delete "%1" and all its messages?</source>
        <translation>删除“%1”及其所有消息？</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown 文件 (*.md)</translation>
    </message>
    <message>
        <source>Conversation saved to %1</source>
        <translation>对话已保存到 %1</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Could not read the model library: %1</source>
        <translation>无法读取模型库：%1</translation>
    </message>
    <message>
        <source>No models to chat with yet. Import one on the Library page (the example model stories260K writes short stories), then pick it here.</source>
        <translation>还没有可对话的模型。请在“模型库”页面导入一个（示例模型 stories260K 会写短故事），然后在这里选择它。</translation>
    </message>
    <message>
        <source>No models to chat with yet.</source>
        <translation>还没有可对话的模型。</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Show or hide the sampling settings</source>
        <translation>显示或隐藏采样设置</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ChatTranscript</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ChatWorker</name>
    <message>
        <source>No model is loaded for this answer.</source>
        <translation>此回答没有加载模型。</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ComparePage</name>
    <message>
        <source>size on disk (MB)</source>
        <translation>磁盘占用 (MB)</translation>
    </message>
    <message>
        <source>decode tokens/s</source>
        <translation>解码 token/秒</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>Export SVG…</source>
        <translation>导出 SVG…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation>方案</translation>
    </message>
    <message>
        <source>Size (MB)</source>
        <translation>大小 (MB)</translation>
    </message>
    <message>
        <source>Decode tok/s</source>
        <translation>解码 token/秒</translation>
    </message>
    <message>
        <source>PPL</source>
        <translation>PPL</translation>
    </message>
    <message>
        <source>ΔPPL</source>
        <translation>ΔPPL</translation>
    </message>
    <message>
        <source>Δ%</source>
        <translation>Δ%</translation>
    </message>
    <message>
        <source>Base model:</source>
        <translation>基础模型：</translation>
    </message>
    <message>
        <source>Dataset:</source>
        <translation>数据集：</translation>
    </message>
    <message>
        <source>x axis:</source>
        <translation>X 轴：</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <source>The model library could not be opened, so there is nothing to compare.</source>
        <translation>无法打开模型库，因此没有可比较的内容。</translation>
    </message>
    <message>
        <source>Could not read the library: %1</source>
        <translation>无法读取模型库：%1</translation>
    </message>
    <message numerus="yes">
        <source>%1 (seq %2, %3 windows; %n model(s))</source>
        <translation>
            <numerusform>%1（序列长度 %2，%3 个窗口；%n 个模型）</numerusform>
        </translation>
    </message>
    <message>
        <source>No compressed variants in the library yet: compress a model on the Compress page first.</source>
        <translation>模型库中还没有压缩变体：请先在“压缩”页面压缩一个模型。</translation>
    </message>
    <message>
        <source>No perplexity evaluations of this model or its variants yet: run some on the Evaluate page.</source>
        <translation>此模型及其变体还没有困惑度评估：请在“评估”页面运行评估。</translation>
    </message>
    <message numerus="yes">
        <source>%n variant(s) not plotted: no perplexity on this dataset or no speed measurement (Evaluate page, Measure speed).</source>
        <translation>
            <numerusform>%n 个变体未绘制：在此数据集上没有困惑度或没有速度测量（“评估”页面，“测量速度”）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n variant(s) not plotted: no perplexity on this dataset.</source>
        <translation>
            <numerusform>%n 个变体未绘制：在此数据集上没有困惑度。</numerusform>
        </translation>
    </message>
    <message>
        <source>The original model has no evaluation on this dataset, so there is no reference line.</source>
        <translation>原始模型在此数据集上没有评估，因此没有参考线。</translation>
    </message>
    <message>
        <source>original</source>
        <translation>原始</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>On the Pareto front: no other variant is better on both axes.</source>
        <translation>位于帕累托前沿：没有其他变体在两个坐标轴上都更优。</translation>
    </message>
    <message>
        <source>bits / parameter (quantized layers)</source>
        <translation>比特 / 参数（量化层）</translation>
    </message>
    <message>
        <source>bits / parameter (whole model)</source>
        <translation>比特 / 参数（整个模型）</translation>
    </message>
    <message>
        <source>Bits/param (quantized layers)</source>
        <translation>比特/参数（量化层）</translation>
    </message>
    <message>
        <source>Bits/param (whole model)</source>
        <translation>比特/参数（整个模型）</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ComparePlot</name>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>bits per parameter (quantized layers)</source>
        <translation>每参数比特数（量化层）</translation>
    </message>
    <message>
        <source>size on disk (MB)</source>
        <translation>磁盘占用 (MB)</translation>
    </message>
    <message>
        <source>decode tokens/s</source>
        <translation>解码 token/秒</translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <source>Perplexity against cost</source>
        <translation>困惑度与成本</translation>
    </message>
    <message>
        <source>Pareto front</source>
        <translation>帕累托前沿</translation>
    </message>
    <message>
        <source>original %1: PPL %2</source>
        <translation>原始 %1：PPL %2</translation>
    </message>
    <message>
        <source>AQLM Studio comparison</source>
        <translation>AQLM Studio 对比</translation>
    </message>
    <message>
        <source>bits per parameter (whole model)</source>
        <translation>每参数比特数（整个模型）</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ComparePoint</name>
    <message>
        <source>%1
%2 %3
Bits/param: %4 (quantized layers), %5 (whole model)
PPL: %6
Size: %7 MB
Decode: %8 tok/s</source>
        <translation>%1
%2 %3
比特/参数：%4（量化层），%5（整个模型）
PPL：%6
大小：%7 MB
解码：%8 token/秒</translation>
    </message>
    <message>
        <source>Fine-tuned from: %1</source>
        <translation>微调自：%1</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::CompressPage</name>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Continue the cancelled or failed run from its last finished block.</source>
        <translation>从最后一个已完成的块继续已取消或失败的运行。</translation>
    </message>
    <message>
        <source>Compressing…</source>
        <translation>正在压缩…</translation>
    </message>
    <message>
        <source>Compression finished: %1</source>
        <translation>压缩完成：%1</translation>
    </message>
    <message>
        <source>Compression failed</source>
        <translation>压缩失败</translation>
    </message>
    <message>
        <source>Compression cancelled</source>
        <translation>压缩已取消</translation>
    </message>
    <message>
        <source>compressing %1 into %2</source>
        <translation>正在将 %1 压缩到 %2</translation>
    </message>
    <message>
        <source>cancelling after the current step…</source>
        <translation>将在当前步骤完成后取消…</translation>
    </message>
    <message>
        <source>resuming %1</source>
        <translation>正在恢复 %1</translation>
    </message>
    <message>
        <source>added to the library as a variant of %1</source>
        <translation>已作为 %1 的变体添加到模型库</translation>
    </message>
    <message>
        <source>measuring perplexity on %1…</source>
        <translation>正在 %1 上测量困惑度…</translation>
    </message>
    <message>
        <source>perplexity of the compressed model: %1</source>
        <translation>压缩后模型的困惑度：%1</translation>
    </message>
    <message>
        <source>after compression: %1</source>
        <translation>压缩后：%1</translation>
    </message>
    <message>
        <source>Compress the model with these settings.</source>
        <translation>使用这些设置压缩模型。</translation>
    </message>
    <message>
        <source>Cannot start yet:
%1</source>
        <translation>暂时无法开始：
%1</translation>
    </message>
    <message>
        <source>Could not read the run's reports: %1</source>
        <translation>无法读取该运行的报告：%1</translation>
    </message>
    <message>
        <source>finished blocks restored from the library: %1</source>
        <translation>已从模型库恢复的已完成块：%1</translation>
    </message>
    <message>
        <source>the original model (the baseline)</source>
        <translation>原始模型（基线）</translation>
    </message>
    <message>
        <source>the compressed model</source>
        <translation>压缩后模型</translation>
    </message>
    <message>
        <source>perplexity of the original model (baseline): %1</source>
        <translation>原始模型（基线）的困惑度：%1</translation>
    </message>
    <message>
        <source>evaluation done</source>
        <translation>评估完成</translation>
    </message>
    <message>
        <source>PV-Tuning after compression</source>
        <translation>压缩后进行 PV-Tuning</translation>
    </message>
    <message>
        <source>Fine-tune the compressed model against the original on the calibration text, codes included (PV-Tuning), into a second folder that becomes a variant of the compressed one.</source>
        <translation>在校准文本上以原始模型为教师微调压缩模型，包括编码（PV-Tuning），结果写入第二个文件夹并成为压缩模型的变体。</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>步数：</translation>
    </message>
    <message>
        <source>compression finished; PV-Tuning into %1</source>
        <translation>压缩完成；PV-Tuning 输出到 %1</translation>
    </message>
    <message>
        <source>PV-Tuning…</source>
        <translation>PV-Tuning…</translation>
    </message>
    <message>
        <source>PV-Tuning: validation perplexity %1 → %2</source>
        <translation>PV-Tuning：验证困惑度 %1 → %2</translation>
    </message>
    <message>
        <source>PV-Tuning finished: %1</source>
        <translation>PV-Tuning 完成：%1</translation>
    </message>
    <message>
        <source>PV-Tuning failed: %1</source>
        <translation>PV-Tuning 失败：%1</translation>
    </message>
    <message>
        <source>PV-Tuning cancelled; Resume continues from its last checkpoint.</source>
        <translation>PV-Tuning 已取消；“继续”将从最后的检查点继续。</translation>
    </message>
    <message>
        <source>PV-tuned model added to the library as a variant of %1</source>
        <translation>PV 微调后的模型已作为 %1 的变体加入模型库</translation>
    </message>
    <message>
        <source>after PV-Tuning: %1</source>
        <translation>PV-Tuning 之后：%1</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::CompressSettingsForm</name>
    <message>
        <source>llama2.c .bin or Hugging Face folder</source>
        <translation>llama2.c .bin 文件或 Hugging Face 文件夹</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>model context</source>
        <translation>模型上下文</translation>
    </message>
    <message>
        <source>Base model:</source>
        <translation>基础模型：</translation>
    </message>
    <message>
        <source>Output folder:</source>
        <translation>输出文件夹：</translation>
    </message>
    <message>
        <source>Calibration text:</source>
        <translation>校准文本：</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>高级</translation>
    </message>
    <message>
        <source>Codebooks (M):</source>
        <translation>码本数 (M)：</translation>
    </message>
    <message>
        <source>Bits (per codebook or integer):</source>
        <translation>比特数（每个码本或整数）：</translation>
    </message>
    <message>
        <source>Group size:</source>
        <translation>分组大小：</translation>
    </message>
    <message>
        <source>Max epochs per layer:</source>
        <translation>每层最大轮数：</translation>
    </message>
    <message>
        <source>Fine-tune epochs per block:</source>
        <translation>每块微调轮数：</translation>
    </message>
    <message>
        <source>Calibration samples:</source>
        <translation>校准样本数：</translation>
    </message>
    <message>
        <source>Sequence length:</source>
        <translation>序列长度：</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>模型库</translation>
    </message>
    <message>
        <source>Choose a model from the library</source>
        <translation>从模型库中选择模型</translation>
    </message>
    <message>
        <source>Evaluate after compression</source>
        <translation>压缩后评估</translation>
    </message>
    <message>
        <source>Measure the perplexity of the compressed model and store it in the library.</source>
        <translation>测量压缩后模型的困惑度并存入模型库。</translation>
    </message>
    <message>
        <source>UTF-8 validation text</source>
        <translation>UTF-8 验证文本</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Windows of the text to score; fewer is quicker but less precise.</source>
        <translation>要评分的文本窗口数；越少越快，但精度越低。</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Evaluate on:</source>
        <translation>评估数据：</translation>
    </message>
    <message>
        <source>Windows:</source>
        <translation>窗口数：</translation>
    </message>
    <message>
        <source>The library is empty</source>
        <translation>模型库为空</translation>
    </message>
    <message>
        <source>UTF-8 text files, separated by ;</source>
        <translation>UTF-8 文本文件，用 ; 分隔</translation>
    </message>
    <message>
        <source>Calibration samples are drawn from all of these texts together.</source>
        <translation>校准样本从这些文本中共同抽取。</translation>
    </message>
    <message>
        <source>Choose calibration texts</source>
        <translation>选择校准文本</translation>
    </message>
    <message>
        <source>Left empty: a new folder in the data folder's models folder, named after the model and the scheme.</source>
        <translation>留空：在数据文件夹的 models 文件夹中新建一个以模型和方案命名的文件夹。</translation>
    </message>
    <message>
        <source>a new folder in %1</source>
        <translation>%1 中的新文件夹</translation>
    </message>
    <message>
        <source>No such file or folder: %1</source>
        <translation>文件或文件夹不存在：%1</translation>
    </message>
    <message>
        <source>Does not fit this model. %1</source>
        <translation>不适用于此模型。%1</translation>
    </message>
    <message>
        <source>“%1” does not fit this model, so “%2” was chosen. %3</source>
        <translation>“%1”不适用于此模型，因此已选择“%2”。%3</translation>
    </message>
    <message>
        <source>Choose a model to compress.</source>
        <translation>请选择要压缩的模型。</translation>
    </message>
    <message>
        <source>Choose a validation text, or turn evaluation off.</source>
        <translation>请选择验证文本，或关闭评估。</translation>
    </message>
    <message>
        <source>Validation text not found: %1</source>
        <translation>找不到验证文本：%1</translation>
    </message>
    <message>
        <source>The validation text %1 is empty.</source>
        <translation>验证文本 %1 为空。</translation>
    </message>
    <message>
        <source>Cannot read the calibration text with this model's tokenizer: %1</source>
        <translation>无法用此模型的分词器读取校准文本：%1</translation>
    </message>
    <message>
        <source>Counting the tokens of the calibration text…</source>
        <translation>正在统计校准文本的词元数…</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::CompressionPreset</name>
    <message>
        <source>2-bit best quality 1x16 g8</source>
        <translation>2 比特 最佳质量 1x16 g8</translation>
    </message>
    <message>
        <source>2-bit fast on CPU 2x8 g8</source>
        <translation>2 比特 CPU 快速 2x8 g8</translation>
    </message>
    <message>
        <source>3-bit 2x12 g8</source>
        <translation>3 比特 2x12 g8</translation>
    </message>
    <message>
        <source>4-bit 2x15 g8</source>
        <translation>4 比特 2x15 g8</translation>
    </message>
    <message>
        <source>~1-bit 1x8 g8</source>
        <translation>约 1 比特 1x8 g8</translation>
    </message>
    <message>
        <source>Tiny test 1x8 g4</source>
        <translation>微型测试 1x8 g4</translation>
    </message>
    <message>
        <source>GPTQ 4-bit g128</source>
        <translation>GPTQ 4 比特 g128</translation>
    </message>
    <message>
        <source>RTN 4-bit g128</source>
        <translation>RTN 4 比特 g128</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::EngineWorker</name>
    <message>
        <source>unknown error in the engine</source>
        <translation>引擎发生未知错误</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::EpochErrorPlot</name>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>relative error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <source>Layer error per epoch</source>
        <translation>每轮的层误差</translation>
    </message>
    <message>
        <source>block %1 %2</source>
        <translation>块 %1 %2</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::EvaluatePage</name>
    <message>
        <source>Memory: about %1 needed (%2), %3 available.</source>
        <translation>内存：约需 %1（%2），可用 %3。</translation>
    </message>
    <message>
        <source>Does not fit in memory: about %1 needed (%2), %3 available. %4</source>
        <translation>内存不足：约需 %1（%2），可用 %3。%4</translation>
    </message>
    <message>
        <source>Check the models to evaluate; they run one after another.</source>
        <translation>勾选要评估的模型；它们将依次运行。</translation>
    </message>
    <message>
        <source>UTF-8 text file</source>
        <translation>UTF-8 文本文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>model context</source>
        <translation>模型上下文</translation>
    </message>
    <message>
        <source>Window length in tokens; 0 uses the model's context.</source>
        <translation>窗口长度（token 数）；0 表示使用模型的上下文长度。</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Score only the first N windows for a quick look; 0 scores the whole text.</source>
        <translation>只评分前 N 个窗口以快速查看；0 表示评分整个文本。</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Measure speed</source>
        <translation>测量速度</translation>
    </message>
    <message>
        <source>Prefill and decode tokens/s of the checked models on this machine (median of 3 runs).</source>
        <translation>在本机上测量所勾选模型的预填充和解码 token/秒（3 次运行的中位数）。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Measurement</source>
        <translation>测量项</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Text file:</source>
        <translation>文本文件：</translation>
    </message>
    <message>
        <source>Sequence length:</source>
        <translation>序列长度：</translation>
    </message>
    <message>
        <source>Max windows:</source>
        <translation>最大窗口数：</translation>
    </message>
    <message>
        <source>Models:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Evaluation text</source>
        <translation>评估文本</translation>
    </message>
    <message>
        <source>Text files (*.txt *.raw);;All files (*)</source>
        <translation>文本文件 (*.txt *.raw);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>The model library could not be opened: evaluations need it to choose models and store results.</source>
        <translation>无法打开模型库：评估需要用它来选择模型并保存结果。</translation>
    </message>
    <message>
        <source>Could not read the library: %1</source>
        <translation>无法读取模型库：%1</translation>
    </message>
    <message>
        <source>The model library is not open.</source>
        <translation>模型库未打开。</translation>
    </message>
    <message>
        <source>Check at least one model to evaluate.</source>
        <translation>请至少勾选一个要评估的模型。</translation>
    </message>
    <message>
        <source>Choose a text file to evaluate on.</source>
        <translation>请选择用于评估的文本文件。</translation>
    </message>
    <message>
        <source>%1: file not found</source>
        <translation>%1：文件未找到</translation>
    </message>
    <message>
        <source>%1: not a readable file</source>
        <translation>%1：不是可读取的文件</translation>
    </message>
    <message>
        <source>%1: the file is empty</source>
        <translation>%1：文件为空</translation>
    </message>
    <message>
        <source>Check at least one model to measure.</source>
        <translation>请至少勾选一个要测量的模型。</translation>
    </message>
    <message>
        <source>Measuring the speed of %1…</source>
        <translation>正在测量 %1 的速度…</translation>
    </message>
    <message>
        <source>Evaluating %1…</source>
        <translation>正在评估 %1…</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <source>%1: could not store the result: %2</source>
        <translation>%1：无法保存结果：%2</translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <source>%1, seq %2, %3 windows, %4 predictions, mean NLL %5, %6 s</source>
        <translation>%1，序列长度 %2，%3 个窗口，%4 个预测，平均 NLL %5，%6 秒</translation>
    </message>
    <message>
        <source>decode speed</source>
        <translation>解码速度</translation>
    </message>
    <message>
        <source>%1 tok/s</source>
        <translation>%1 token/秒</translation>
    </message>
    <message>
        <source>prefill %1 tok/s; prompt %2, %3 new tokens; %4 threads (%5); %6</source>
        <translation>预填充 %1 token/秒；提示词 %2，%3 个新 token；%4 个线程（%5）；%6</translation>
    </message>
    <message>
        <source>Could not store the perplexity of %1: %2</source>
        <translation>无法保存 %1 的困惑度：%2</translation>
    </message>
    <message>
        <source>Could not store the speed of %1: %2</source>
        <translation>无法保存 %1 的速度：%2</translation>
    </message>
    <message>
        <source>No models yet. Import one on the Library page (or compress one on the Compress page): it appears here, ready to measure its perplexity and speed.</source>
        <translation>还没有模型。请在“模型库”页面导入一个（或在“压缩”页面压缩一个）：它会出现在这里，可用于测量困惑度和速度。</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 could not be measured: %2</source>
        <translation>无法测量 %1：%2</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::FinetuneDialog</name>
    <message>
        <source>Fine-tune a compressed model</source>
        <translation>微调压缩模型</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Cancel run</source>
        <translation>取消运行</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Continue the cancelled or failed run from its last checkpoint.</source>
        <translation>从最后的检查点继续已取消或失败的运行。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Compressed model:</source>
        <translation>压缩模型：</translation>
    </message>
    <message>
        <source>The original model the compressed one was made from: its outputs are what the compressed model learns to reproduce.</source>
        <translation>压缩模型所来自的原始模型：压缩模型学习复现它的输出。</translation>
    </message>
    <message>
        <source>Original (teacher):</source>
        <translation>原始模型（教师）：</translation>
    </message>
    <message>
        <source>a plain-text file, e.g. the TinyStories training text</source>
        <translation>纯文本文件，例如 TinyStories 训练文本</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Choose the fine-tuning text</source>
        <translation>选择微调文本</translation>
    </message>
    <message>
        <source>Fine-tuning text</source>
        <translation>微调文本</translation>
    </message>
    <message>
        <source>Text files (*.txt *.raw);;All files (*)</source>
        <translation>文本文件 (*.txt *.raw);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Fine-tuning text:</source>
        <translation>微调文本：</translation>
    </message>
    <message>
        <source>PV-Tuning (codes and codebooks)</source>
        <translation>PV-Tuning（编码和码本）</translation>
    </message>
    <message>
        <source>Global fine-tuning (codebooks only)</source>
        <translation>全局微调（仅码本）</translation>
    </message>
    <message>
        <source>PV-Tuning also changes the discrete codes and usually gains more; global fine-tuning keeps the codes and trains codebooks, scales and norms.</source>
        <translation>PV-Tuning 还会改变离散编码，通常收益更大；全局微调保持编码不变，训练码本、缩放和归一化参数。</translation>
    </message>
    <message>
        <source>Mode:</source>
        <translation>模式：</translation>
    </message>
    <message>
        <source>Optimizer steps; each sees the tokens per step set under Advanced.</source>
        <translation>优化器步数；每步使用“高级”中设置的每步词元数。</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>步数：</translation>
    </message>
    <message>
        <source>Output folder:</source>
        <translation>输出文件夹：</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>高级</translation>
    </message>
    <message>
        <source>Memory:</source>
        <translation>内存：</translation>
    </message>
    <message>
        <source>Training tokens per step, in whole windows of the sequence length.</source>
        <translation>每步训练词元数，按序列长度的整窗口计。</translation>
    </message>
    <message>
        <source>Tokens per step:</source>
        <translation>每步词元数：</translation>
    </message>
    <message>
        <source>model context</source>
        <translation>模型上下文</translation>
    </message>
    <message>
        <source>Sequence length:</source>
        <translation>序列长度：</translation>
    </message>
    <message>
        <source>Adam learning rate of codebooks, scales and norms.</source>
        <translation>码本、缩放和归一化参数的 Adam 学习率。</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>学习率：</translation>
    </message>
    <message>
        <source>Fraction of each layer's code groups re-encoded per step (PV-Tuning).</source>
        <translation>每步重新编码的各层编码组比例（PV-Tuning）。</translation>
    </message>
    <message>
        <source>Codes updated per step:</source>
        <translation>每步更新的编码：</translation>
    </message>
    <message>
        <source>Step size of the continuous weights the new codes are chosen from (PV-Tuning).</source>
        <translation>选择新编码所依据的连续权重的步长（PV-Tuning）。</translation>
    </message>
    <message>
        <source>Code learning rate:</source>
        <translation>编码学习率：</translation>
    </message>
    <message>
        <source>Steps between validation measurements; the best state is kept and a checkpoint written, so a cancelled run resumes from there.</source>
        <translation>两次验证之间的步数；保留最佳状态并写入检查点，取消的运行可从那里继续。</translation>
    </message>
    <message>
        <source>Validate every (steps):</source>
        <translation>验证间隔（步）：</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>随机种子：</translation>
    </message>
    <message>
        <source>The compressed model cannot be read: %1</source>
        <translation>无法读取压缩模型：%1</translation>
    </message>
    <message>
        <source>Choose the original model (the teacher).</source>
        <translation>请选择原始模型（教师）。</translation>
    </message>
    <message>
        <source>The original has another architecture than the compressed model; choose the model it was compressed from.</source>
        <translation>原始模型与压缩模型的架构不同；请选择它压缩自的模型。</translation>
    </message>
    <message>
        <source>The original cannot be read: %1</source>
        <translation>无法读取原始模型：%1</translation>
    </message>
    <message>
        <source>Choose a fine-tuning text.</source>
        <translation>请选择微调文本。</translation>
    </message>
    <message>
        <source>The fine-tuning text %1 does not exist or cannot be read.</source>
        <translation>微调文本 %1 不存在或无法读取。</translation>
    </message>
    <message>
        <source>The fine-tuning text %1 is empty.</source>
        <translation>微调文本 %1 为空。</translation>
    </message>
    <message>
        <source>Choose an output folder.</source>
        <translation>请选择输出文件夹。</translation>
    </message>
    <message>
        <source>The output folder %1 already exists and is not empty; choose a new folder.</source>
        <translation>输出文件夹 %1 已存在且不为空；请选择新文件夹。</translation>
    </message>
    <message>
        <source>The output folder must not be the compressed model's own folder.</source>
        <translation>输出文件夹不能是压缩模型自身的文件夹。</translation>
    </message>
    <message>
        <source>; %1 available</source>
        <translation>；可用 %1</translation>
    </message>
    <message>
        <source>Fine-tuning would need more memory than is available.</source>
        <translation>微调所需内存超过可用内存。</translation>
    </message>
    <message>
        <source>Try: %1.</source>
        <translation>请尝试：%1。</translation>
    </message>
    <message>
        <source>known once both models can be read</source>
        <translation>两个模型都可读取后可知</translation>
    </message>
    <message>
        <source>Fine-tune with these settings.</source>
        <translation>使用这些设置进行微调。</translation>
    </message>
    <message>
        <source>Cannot start yet:
%1</source>
        <translation>暂时无法开始：
%1</translation>
    </message>
    <message>
        <source>Waiting for the running job to finish…</source>
        <translation>等待正在运行的任务完成…</translation>
    </message>
    <message>
        <source>Cancelling after the current step…</source>
        <translation>将在当前步骤后取消…</translation>
    </message>
    <message>
        <source>Fine-tuning finished: %1</source>
        <translation>微调完成：%1</translation>
    </message>
    <message>
        <source>Fine-tuning failed: %1</source>
        <translation>微调失败：%1</translation>
    </message>
    <message>
        <source>Fine-tuning failed</source>
        <translation>微调失败</translation>
    </message>
    <message>
        <source>Cancelled. The last checkpoint is kept: Resume continues from it.</source>
        <translation>已取消。最后的检查点已保留：“继续”将从那里继续。</translation>
    </message>
    <message>
        <source>Fine-tuning cancelled</source>
        <translation>微调已取消</translation>
    </message>
    <message>
        <source>Added to the library as a variant of %1.</source>
        <translation>已作为 %1 的变体加入模型库。</translation>
    </message>
    <message>
        <source>The result could not be added to the library: %1</source>
        <translation>无法将结果加入模型库：%1</translation>
    </message>
    <message>
        <source>about %1 (models and training state %2, activations and runtime %3)</source>
        <translation>约 %1（模型和训练状态 %2，激活和运行时 %3）</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::FinetuneLossPlot</name>
    <message>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>block (fine-tune epochs)</source>
        <translation>块（微调轮次）</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Block fine-tuning loss</source>
        <translation>块微调损失</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::FinetuneMonitor</name>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Not started.</source>
        <translation>尚未开始。</translation>
    </message>
    <message>
        <source>KD loss per step</source>
        <translation>每步 KD 损失</translation>
    </message>
    <message>
        <source>Validation perplexity</source>
        <translation>验证困惑度</translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <source>Codes changed per step</source>
        <translation>每步改变的编码</translation>
    </message>
    <message>
        <source>% of code groups</source>
        <translation>编码组的 %</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Loading the models and the fine-tuning text…</source>
        <translation>正在加载模型和微调文本…</translation>
    </message>
    <message>
        <source>Step %1 of %2 · KD loss %3 · about %4 left</source>
        <translation>第 %1 / %2 步 · KD 损失 %3 · 约剩 %4</translation>
    </message>
    <message>
        <source>Finished: validation perplexity %1 → %2 (best at step %3), %4.</source>
        <translation>完成：验证困惑度 %1 → %2（最佳在第 %3 步），%4。</translation>
    </message>
    <message>
        <source>KL(teacher || student)</source>
        <translation>KL(教师 || 学生)</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::InterruptedRuns</name>
    <message>
        <source>#%1 %2 of %3 into %4 (%5)</source>
        <translation>#%1 %2：%3 压缩到 %4（%5）</translation>
    </message>
    <message>
        <source>Unfinished compressions</source>
        <translation>未完成的压缩</translation>
    </message>
    <message>
        <source>These compressions were interrupted when AQLM Studio last closed:

%1

Resume them? Finished blocks are kept. No marks them cancelled.</source>
        <translation>上次关闭 AQLM Studio 时，以下压缩被中断：

%1

是否继续这些压缩？已完成的块会被保留。选择“否”会将它们标记为已取消。</translation>
    </message>
    <message>
        <source>Some runs could not be resumed:
%1</source>
        <translation>部分运行无法继续：
%1</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::JobLibraryRecorder</name>
    <message>
        <source>Could not record the compression run in the library: %1</source>
        <translation>无法在模型库中记录此次压缩运行：%1</translation>
    </message>
    <message>
        <source>the library could not be written</source>
        <translation>无法写入模型库</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::LayerErrorBarPlot</name>
    <message>
        <source>block</source>
        <translation>块</translation>
    </message>
    <message>
        <source>relative error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <source>Final error per layer</source>
        <translation>每层的最终误差</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::LibraryPage</name>
    <message>
        <source>Filter by name, architecture, format or scheme</source>
        <translation>按名称、架构、格式或方案筛选</translation>
    </message>
    <message>
        <source>Select a model to see its details.</source>
        <translation>选择一个模型以查看其详情。</translation>
    </message>
    <message>
        <source>Model imported</source>
        <translation>模型已导入</translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation>导入失败</translation>
    </message>
    <message>
        <source>%1 was not imported:
%2</source>
        <translation>%1 未导入：
%2</translation>
    </message>
    <message>
        <source>Loading models…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Import file…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <source>Add a llama2.c checkpoint or a model file to the library</source>
        <translation>将 llama2.c 检查点或模型文件添加到模型库</translation>
    </message>
    <message>
        <source>Import folder…</source>
        <translation>导入文件夹…</translation>
    </message>
    <message>
        <source>Add a Hugging Face folder, or every model found below a folder</source>
        <translation>添加一个 Hugging Face 文件夹，或某个文件夹下找到的所有模型</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Reveal on disk</source>
        <translation>在磁盘上显示</translation>
    </message>
    <message>
        <source>Show run plots</source>
        <translation>显示运行图表</translation>
    </message>
    <message>
        <source>Plot the stored reports of the run that made or used this model</source>
        <translation>绘制生成或使用此模型的运行所保存的报告</translation>
    </message>
    <message>
        <source>Compress…</source>
        <translation>压缩…</translation>
    </message>
    <message>
        <source>Open the Compress page with this model</source>
        <translation>使用此模型打开“压缩”页面</translation>
    </message>
    <message>
        <source>Import a model file</source>
        <translation>导入模型文件</translation>
    </message>
    <message>
        <source>Models (*.bin *.safetensors);;All files (*)</source>
        <translation>模型 (*.bin *.safetensors);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import models from a folder</source>
        <translation>从文件夹导入模型</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>Searching %1 for models…</source>
        <translation>正在 %1 中搜索模型…</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s) imported from %1.</source>
        <translation>
            <numerusform>已从 %1 导入 %n 个模型。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) skipped:</source>
        <translation>
            <numerusform>已跳过 %n 个文件：</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n model(s) imported</source>
        <translation>
            <numerusform>已导入 %n 个模型</numerusform>
        </translation>
    </message>
    <message>
        <source>Folder scanned</source>
        <translation>文件夹扫描完成</translation>
    </message>
    <message>
        <source>Remove %1 from the library?</source>
        <translation>从模型库中移除 %1？</translation>
    </message>
    <message numerus="yes">
        <source>Its %n variant(s) and all runs and evaluations of it leave the library too (their files stay).</source>
        <translation>
            <numerusform>它的 %n 个变体以及与它相关的所有运行和评估也将从模型库中移除（其文件会保留）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete model</source>
        <translation>删除模型</translation>
    </message>
    <message>
        <source>Also delete %1 from disk</source>
        <translation>同时从磁盘删除 %1</translation>
    </message>
    <message>
        <source>%1 left the library but could not be deleted from disk.</source>
        <translation>%1 已从模型库移除，但无法从磁盘删除。</translation>
    </message>
    <message>
        <source>%1 deleted</source>
        <translation>已删除 %1</translation>
    </message>
    <message>
        <source>%1 no longer exists.</source>
        <translation>%1 已不存在。</translation>
    </message>
    <message>
        <source>Run plots</source>
        <translation>运行图表</translation>
    </message>
    <message>
        <source>No compression run of this model is stored.</source>
        <translation>没有保存此模型的压缩运行。</translation>
    </message>
    <message>
        <source>Run #%1 %2 (%3) into %4</source>
        <translation>运行 #%1 %2（%3），输出到 %4</translation>
    </message>
    <message>
        <source>Run:</source>
        <translation>运行：</translation>
    </message>
    <message>
        <source>Compression run #%1</source>
        <translation>压缩运行 #%1</translation>
    </message>
    <message>
        <source>Could not delete %1: %2</source>
        <translation>无法删除 %1：%2</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Welcome to AQLM Studio&lt;/h2&gt;&lt;p&gt;AQLM Studio compresses Llama-family language models to 2–4 bits per weight with AQLM (and the GPTQ and RTN baselines), shows how each layer fares while it works, measures perplexity and speed, compares the results and lets you chat with them.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Start by importing a model:&lt;/b&gt; a llama2.c &lt;tt&gt;.bin&lt;/tt&gt; checkpoint or a Hugging Face folder (&lt;tt&gt;config.json&lt;/tt&gt;, &lt;tt&gt;*.safetensors&lt;/tt&gt; and the tokenizer). Models you compress are added here automatically.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Where models come from:&lt;/b&gt; the Hugging Face Hub (for example TinyLlama or Llama 2 in safetensors form) or the llama2.c TinyStories checkpoints (stories15M, stories260K). Download them with your browser or the Hugging Face tools, then import the file or folder.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;欢迎使用 AQLM Studio&lt;/h2&gt;&lt;p&gt;AQLM Studio 使用 AQLM（以及 GPTQ 和 RTN 基线方法）将 Llama 系列语言模型压缩到每个权重 2–4 比特，在压缩过程中显示每一层的情况，测量困惑度和速度，比较结果，并可与模型对话。&lt;/p&gt;&lt;p&gt;&lt;b&gt;首先导入一个模型：&lt;/b&gt;llama2.c 的 &lt;tt&gt;.bin&lt;/tt&gt; 检查点，或 Hugging Face 文件夹（&lt;tt&gt;config.json&lt;/tt&gt;、&lt;tt&gt;*.safetensors&lt;/tt&gt; 和分词器）。压缩后的模型会自动添加到这里。&lt;/p&gt;&lt;p&gt;&lt;b&gt;模型从哪里来：&lt;/b&gt;Hugging Face Hub（例如 safetensors 格式的 TinyLlama 或 Llama 2），或 llama2.c 的 TinyStories 检查点（stories15M、stories260K）。用浏览器或 Hugging Face 工具下载后，导入该文件或文件夹。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Import a model file…</source>
        <translation>导入模型文件…</translation>
    </message>
    <message>
        <source>Import a model folder…</source>
        <translation>导入模型文件夹…</translation>
    </message>
    <message>
        <source>Add the example model (stories260K)</source>
        <translation>添加示例模型（stories260K）</translation>
    </message>
    <message>
        <source>Fine-tune…</source>
        <translation>微调…</translation>
    </message>
    <message>
        <source>Fine-tune this compressed model against its original (PV-Tuning), into a new variant</source>
        <translation>将此压缩模型以其原始模型为教师进行微调（PV-Tuning），生成新的变体</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::LibraryService</name>
    <message>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::LibraryTreeModel</name>
    <message>
        <source>Perplexity %1 ± %2 on %3 (%4 windows of %5 tokens)</source>
        <translation>在 %3 上的困惑度 %1 ± %2（%4 个窗口，每个 %5 个 token）</translation>
    </message>
    <message>
        <source>%1 bits per parameter in the quantized layers, %2 over the whole model</source>
        <translation>量化层每参数 %1 比特，整个模型 %2 比特</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Format / scheme</source>
        <translation>格式 / 方案</translation>
    </message>
    <message>
        <source>Size on disk</source>
        <translation>磁盘占用</translation>
    </message>
    <message>
        <source>Best PPL</source>
        <translation>最佳 PPL</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>Bits per parameter over the whole model (embeddings and norms included)</source>
        <translation>按整个模型计算的每参数比特数（包括嵌入层和归一化层）</translation>
    </message>
    <message>
        <source>Bits per parameter over the quantized layers only (the number AQLM papers report)</source>
        <translation>仅按量化层计算的每参数比特数（AQLM 论文报告的数值）</translation>
    </message>
    <message>
        <source>Bits/param
(whole model)</source>
        <translation>比特/参数
（整个模型）</translation>
    </message>
    <message>
        <source>Bits/param
(quantized layers)</source>
        <translation>比特/参数
（量化层）</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::MainWindow</name>
    <message>
        <source>AQLM Studio</source>
        <translation>AQLM Studio</translation>
    </message>
    <message>
        <source>Compress</source>
        <translation>压缩</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>模型库</translation>
    </message>
    <message>
        <source>Run #%1: %2</source>
        <translation>运行 #%1：%2</translation>
    </message>
    <message>
        <source>Compressed model added to the library; perplexity %1</source>
        <translation>压缩后的模型已添加到模型库；困惑度 %1</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Settings saved; %1 threads. Data folder and language apply after restart.</source>
        <translation>设置已保存；%1 个线程。数据文件夹和语言将在重启后生效。</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Documentation</source>
        <translation>文档(&amp;D)</translation>
    </message>
    <message>
        <source>The documentation is not installed.</source>
        <translation>未安装文档。</translation>
    </message>
    <message>
        <source>&amp;About AQLM Studio</source>
        <translation>关于 AQLM Studio(&amp;A)</translation>
    </message>
    <message>
        <source>&lt;h3&gt;AQLM Studio %1&lt;/h3&gt;&lt;p&gt;Compresses Llama-family models with Additive Quantization (AQLM), compares the results and chats with them.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Engine:&lt;/b&gt; %2&lt;br&gt;&lt;b&gt;Instruction set of the AQLM kernels:&lt;/b&gt; %3&lt;br&gt;&lt;b&gt;CUDA:&lt;/b&gt; %4&lt;/p&gt;</source>
        <translation>&lt;h3&gt;AQLM Studio %1&lt;/h3&gt;&lt;p&gt;使用加性量化（AQLM）压缩 Llama 系列模型，比较结果并与模型对话。&lt;/p&gt;&lt;p&gt;&lt;b&gt;引擎：&lt;/b&gt;%2&lt;br&gt;&lt;b&gt;AQLM 内核指令集：&lt;/b&gt;%3&lt;br&gt;&lt;b&gt;CUDA：&lt;/b&gt;%4&lt;/p&gt;</translation>
    </message>
    <message>
        <source>available</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>not available (CPU only)</source>
        <translation>不可用（仅 CPU）</translation>
    </message>
    <message>
        <source>About AQLM Studio</source>
        <translation>关于 AQLM Studio</translation>
    </message>
    <message numerus="yes">
        <source>Measuring the perplexity of %n compressed model(s) whose evaluation was interrupted</source>
        <translation>
            <numerusform>正在测量 %n 个评估被中断的压缩模型的困惑度</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ModelDetails</name>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Dimensions</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>dim %1, hidden %2, %3 layers, %4 heads, %5 KV heads</source>
        <translation>维度 %1，隐藏层 %2，%3 层，%4 个注意力头，%5 个 KV 头</translation>
    </message>
    <message>
        <source>Vocabulary / context</source>
        <translation>词表 / 上下文</translation>
    </message>
    <message>
        <source>Weights dtype</source>
        <translation>权重数据类型</translation>
    </message>
    <message>
        <source>Size on disk</source>
        <translation>磁盘占用</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>Compressed variant</source>
        <translation>压缩变体</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <source>Method / scheme</source>
        <translation>方法 / 方案</translation>
    </message>
    <message>
        <source>Bits per parameter</source>
        <translation>每参数比特数</translation>
    </message>
    <message>
        <source>%1 in quantized layers, %2 over the whole model</source>
        <translation>量化层 %1，整个模型 %2</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Evaluations</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>None yet.</source>
        <translation>暂无。</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>PPL</source>
        <translation>PPL</translation>
    </message>
    <message>
        <source>± std. err.</source>
        <translation>± 标准误差</translation>
    </message>
    <message>
        <source>Seq len</source>
        <translation>序列长度</translation>
    </message>
    <message>
        <source>Windows</source>
        <translation>窗口数</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Compression runs</source>
        <translation>压缩运行</translation>
    </message>
    <message>
        <source>None.</source>
        <translation>无。</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>created %1, started %2, finished %3; %4 s, peak %5 MB</source>
        <translation>创建于 %1，开始于 %2，完成于 %3；耗时 %4 秒，峰值内存 %5 MB</translation>
    </message>
    <message>
        <source>output: %1</source>
        <translation>输出：%1</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ModelImporter</name>
    <message>
        <source>Could not add %1 to the library: %2</source>
        <translation>无法将 %1 添加到模型库：%2</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::ModelPicker</name>
    <message>
        <source>Original models</source>
        <translation>原始模型</translation>
    </message>
    <message>
        <source>Compressed models</source>
        <translation>压缩模型</translation>
    </message>
    <message>
        <source>%1 (%2 %3, %4 bits)</source>
        <translation>%1（%2 %3，%4 比特）</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::PerplexityPlot</name>
    <message>
        <source>windows scored</source>
        <translation>已评分窗口数</translation>
    </message>
    <message>
        <source>running perplexity</source>
        <translation>累计困惑度</translation>
    </message>
    <message>
        <source>Perplexity while evaluating</source>
        <translation>评估过程中的困惑度</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::RunMonitor</name>
    <message>
        <source>The run's log appears here.</source>
        <translation>运行日志显示在此处。</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>%1, block %2 of %3</source>
        <translation>%1，第 %2/%3 块</translation>
    </message>
    <message>
        <source>block %1 %2: relative error %3, %4 bits, %5 epochs, %6 s</source>
        <translation>块 %1 %2：相对误差 %3，%4 比特，%5 轮，%6 秒</translation>
    </message>
    <message>
        <source>block %1 fine-tune epoch %2: train %3, validation %4</source>
        <translation>块 %1 微调第 %2 轮：训练 %3，验证 %4</translation>
    </message>
    <message>
        <source>block %1 of %2 done in %3 s</source>
        <translation>第 %1/%2 块完成，耗时 %3 秒</translation>
    </message>
    <message>
        <source>, held-out perplexity %1</source>
        <translation>，留出集困惑度 %1</translation>
    </message>
    <message>
        <source>Finished: %1 bits/param (quantized layers), %2 bits/param whole model, %3 MB in %4</source>
        <translation>完成：%1 比特/参数（量化层），整个模型 %2 比特/参数，%3 MB，耗时 %4</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Cancelled: finished blocks are kept; Resume continues from there.</source>
        <translation>已取消：已完成的块会被保留；点击“继续”将从那里接着运行。</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>正在开始</translation>
    </message>
    <message>
        <source>  ·  layer %1/%2</source>
        <translation>  ·  第 %1/%2 层</translation>
    </message>
    <message>
        <source>  ·  ETA %1</source>
        <translation>  ·  预计剩余 %1</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>Measuring the perplexity of %1  ·  window %2/%3</source>
        <translation>正在测量%1的困惑度  ·  窗口 %2/%3</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::RunPlotsView</name>
    <message>
        <source>run %1 (%2) of %3 into %4</source>
        <translation>运行 %1（%2）：%3 压缩到 %4</translation>
    </message>
    <message>
        <source>status: %1</source>
        <translation>状态：%1</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::SamplingPanel</name>
    <message>
        <source>Balanced</source>
        <translation>均衡</translation>
    </message>
    <message>
        <source>Greedy (deterministic)</source>
        <translation>贪心（确定性）</translation>
    </message>
    <message>
        <source>Creative</source>
        <translation>创意</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>0 picks the most likely token every time (greedy).</source>
        <translation>0 表示每次都选择概率最高的 token（贪心）。</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>1.0 turns nucleus sampling off.</source>
        <translation>1.0 表示关闭核采样。</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Max new tokens</source>
        <translation>最大新 token 数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::SettingsCheck</name>
    <message>
        <source>GPTQ and RTN store 2 to 8 bits per weight, not %1.</source>
        <translation>GPTQ 和 RTN 每个权重存储 2 到 8 比特，而不是 %1。</translation>
    </message>
    <message>
        <source>Group size %1 does not divide the layer width %2 of this model (widths %3 and %4). Group sizes that fit: %5.</source>
        <translation>分组大小 %1 不能整除此模型的层宽度 %2（宽度为 %3 和 %4）。适用的分组大小：%5。</translation>
    </message>
    <message>
        <source>Choose one or more calibration texts (UTF-8 text files).</source>
        <translation>请选择一个或多个校准文本（UTF-8 文本文件）。</translation>
    </message>
    <message>
        <source>Calibration text not found: %1</source>
        <translation>找不到校准文本：%1</translation>
    </message>
    <message>
        <source>Not a text file: %1</source>
        <translation>不是文本文件：%1</translation>
    </message>
    <message>
        <source>Cannot read the calibration text %1</source>
        <translation>无法读取校准文本 %1</translation>
    </message>
    <message>
        <source>The calibration text %1 is empty.</source>
        <translation>校准文本 %1 为空。</translation>
    </message>
    <message>
        <source>The calibration text is too short: at most %1 tokens, and one window needs %2. Add more text or choose a shorter sequence length.</source>
        <translation>校准文本太短：最多 %1 个 token，而一个窗口需要 %2 个。请添加更多文本或选择更短的序列长度。</translation>
    </message>
    <message>
        <source>Choose an output folder.</source>
        <translation>请选择输出文件夹。</translation>
    </message>
    <message>
        <source>%1 is a file, not a folder.</source>
        <translation>%1 是文件，不是文件夹。</translation>
    </message>
    <message>
        <source>%1 already holds files. Choose a new or empty folder.</source>
        <translation>%1 中已有文件。请选择新的或空的文件夹。</translation>
    </message>
    <message>
        <source>Cannot write into %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>Cannot create %1: %2 is not a writable folder.</source>
        <translation>无法创建 %1：%2 不是可写的文件夹。</translation>
    </message>
    <message>
        <source>The calibration text is too short: %1 tokens with this model's tokenizer, and one window needs %2. Add more text or choose a shorter sequence length.</source>
        <translation>校准文本太短：用此模型的分词器只有 %1 个词元，而一个窗口需要 %2 个。请添加更多文本或选择更短的序列长度。</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>all cores (%1)</source>
        <translation>所有核心（%1）</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>CUDA GPU</translation>
    </message>
    <message>
        <source>This engine was built without CUDA or no GPU is present.</source>
        <translation>此引擎构建时未启用 CUDA，或没有可用的 GPU。</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Holds the model library and compressed models; a new folder is used after restart.</source>
        <translation>存放模型库和压缩后的模型；新文件夹将在重启后使用。</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The language takes effect after restart.</source>
        <translation>语言将在重启后生效。</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::SpeedWorker</name>
    <message>
        <source>unknown error in the engine</source>
        <translation>引擎发生未知错误</translation>
    </message>
</context>
<context>
    <name>aqlm::ui::TimeEstimateLabel</name>
    <message>
        <source>Time on this computer: measuring shortly…</source>
        <translation>在此电脑上的用时：即将测量…</translation>
    </message>
    <message>
        <source>Time on this computer: measuring…</source>
        <translation>在此电脑上的用时：正在测量…</translation>
    </message>
    <message>
        <source>Time on this computer: could not be measured (%1).</source>
        <translation>在此电脑上的用时：无法测量（%1）。</translation>
    </message>
    <message>
        <source> (at most %1 if no layer converges before %2 epochs)</source>
        <translation>（若没有层在 %2 个轮次前收敛，最多 %1）</translation>
    </message>
    <message>
        <source>Quantizing the layers %1, calibration passes %2, block fine-tuning %3.</source>
        <translation>量化各层 %1，校准前向 %2，块微调 %3。</translation>
    </message>
    <message>
        <source>Measured in %1 on this computer: the layer quantizer on slices of each layer width and one block of this model's shape, scaled to the whole model. Layers usually stop after %2 epochs.</source>
        <translation>在此电脑上用 %1 测得：在每种层宽的切片上运行层量化器，并运行一个与此模型形状相同的块，再按整个模型换算。各层通常在 %2 个轮次后停止。</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <source>Time on this computer: about %1 (threads: %2)</source>
        <translation>在此电脑上的用时：约 %1（线程数：%2）</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Save a PNG of the window and quit.</source>
        <translation>保存窗口的 PNG 截图并退出。</translation>
    </message>
    <message>
        <source>Model to compress.</source>
        <translation>要压缩的模型。</translation>
    </message>
    <message>
        <source>Calibration text.</source>
        <translation>校准文本。</translation>
    </message>
    <message>
        <source>Preset name.</source>
        <translation>预设名称。</translation>
    </message>
    <message>
        <source>Output folder.</source>
        <translation>输出文件夹。</translation>
    </message>
    <message>
        <source>Start right away.</source>
        <translation>立即开始。</translation>
    </message>
    <message>
        <source>Model library</source>
        <translation>模型库</translation>
    </message>
    <message>
        <source>The model library could not be opened:
%1</source>
        <translation>无法打开模型库：
%1</translation>
    </message>
</context>
</TS>
