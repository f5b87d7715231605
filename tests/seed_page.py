"""The NAIC 2025 program as its public web page prints it, copied line by line from the page.

Tests compare the shipped YAML, and the PDFs built from it, against these lines, so the expected
values never come from the code under test. Lines keep the page's own marks ("(Short)", "Video")
and author notation ("A, B (X), C (Y)"); `page_people` below reads that notation.
"""

import re

# (time range, Best Paper Award?, title line, author line), in program order.
TALKS = [
    ('09:55 - 10:10', False,
     'Why choose when you can have both: Programmable data planes meet programmable optics',
     'Chris Misa (University of Oregon), Matthew Nance-Hall (Scala Computing, Inc.), Reza Rejaie (University of Oregon), Walter Willinger (NIKSUN, Inc.), Ramakrishnan Durairajan (University of Oregon and Link Oregon)'),
    ('10:10 - 10:20', False,
     'Sparse Collectives: Exploiting Data Sparsity to Improve Communication Efficiency (Short)',
     'Dhananjaya Wijerathne, Haris Javaid, Guanwen Zhong, Dan Wu, Xing Yuan Kom, Mario Baldi (AMD)'),
    ('10:20 - 10:30', False,
     'Codesign of Tensors Encoding And Transcoding: A Building Block For Decentralized AI (Short) Video',
     'Revant Teotia, Muhammad Haseeb (New York University)'),
    ('11:00 - 11:15', False,
     'NSX: Large-Scale Network Simulation on an AI Server',
     'Sajy Khashab, Hariharan Sezhiyan, Rani Abboud, Alex Normatov, Stefan Kaestle, Eliav Bar-Ilan, Mohammad Nassar, Omer Shabtai, Wei Bai, Matty Kadosh, Jiarong Xing (Rice University), Mark Silberstein (NVIDIA and Technion), T. S. Eugene Ng (Rice University), Ang Chen (NVIDIA and University of Michigan)'),
    ('11:15 - 11:30', False,
     'MLSynth: Towards Synthetic ML Traces',
     'Adel Sefiane (NVIDIA and Imperial College London), Alireza Farshin (NVIDIA), Marios Kogias (Imperial College London)'),
    ('11:30 - 11:40', False,
     'Simulating LLM training workloads for heterogeneous compute and network infrastructure (Short)',
     'Sumit Kumar, Arjun Temura, Naman Sharma, Ramanjeet Singh (Indraprastha Institute of Information Technology Delhi), Meet Dadhania, Praveen Tammana (Indian Institute of Technology Hyderabad), Satananda Burla, Abed Mohammad Kamaluddin (Marvell Technology Inc.), Rinku Shah (Indraprastha Institute of Information Technology Delhi)'),
    ('11:40 - 11:50', False,
     'RTT- or Bandwidth-Bound? Demystifying the KV Cache Transfer in Large Language Model Serving (Short)',
     'Shengnan Yue (China Mobile), Mowei Wang (Huawei Technologies), Yu Yan (China Mobile), Weiqiang Cheng (China Mobile), Zihan Jiang (Huawei Technologies), Zhenhui Zhang (China Mobile and Nanjing University)'),
    ('11:50 - 12:05', True,
     'Chronos: Prescheduled Circuit Switching for LLM Training',
     'Sundararajan Renganathan, Nick McKeown (Stanford University)'),
    ('12:05 - 12:15', False,
     'Intent Fuel Station: A RAG-Enhanced Agent Hub for Realizing Networking Intents (Short)',
     'Yunxiao Ma, Peilong Zhang, Hua Li, Yufeng Zhao, Yintan Ai, Hanlin Liu (Inner Mongolia University)'),
    ('12:15 - 12:30', False,
     'LAPS: Joint Load Balancing and Congestion Control on Unequal-cost Multi-path Data Center Networks',
     'Ying Wan (Southeast University), Haoyu Song (Futurewei Technologies), Yu Jia, Yunhui Yang (China Mobile), Tao Huang (Purple Mountain Laboratories), Zhikang Chen (Tsinghua University)'),
    ('12:30 - 12:45', False,
     'Sparkle: Optimizing the Serverless AIGC Deployment over Crowdsourced Edge Environments Video',
     'Kaile Zhu, Shihao Shen (Tianjin University), Tuo Zhang (University of Southern California), Xiaofei Wang (Tianjin University), Xiaoliang Wang (Nanjing University), Xin Jiang, Wenyu Wang (Paiou Cloud Computing), Hai Jin (Huazhong University of Science and Technology)'),
    ('15:00 - 15:15', False,
     'A Cloud-Edge Collaborative Inference System for Data-secure LLM Serving',
     'Wenjie Chu, Chunhui Du, Yunfeng Shao (Huawei Technologies)'),
    ('15:15 - 15:30', False,
     'LLMs on Edge: Network Traffic Characteristics of Distributed Inference under the Loupe',
     'Philippe Buschmann, Arne Bröring (Siemens AG), Georg Carle (Technical University of Munich), Andreas Blenk (Siemens AG)'),
    ('15:30 - 15:45', False,
     'LIFT: Automating Symbolic Execution Optimization with Large Language Models for AI Networks Video',
     'Ruoxi Wang (Northeastern University), Kun Li, Minghui Xu, Yue Zhang (Shandong University), Kaidi Xu (Drexel University), Chunchi Liu (Huawei Technologies), Xiuzhen Cheng (Shandong University), Yinhao Xiao (Guangdong University of Finance and Economics)'),
    ('16:15 - 16:30', False,
     'Reconfigurability within Collective Communication Algorithms',
     'Rukshani Athapathu, George Porter (University of California San Diego)'),
    ('16:30 - 16:45', False,
     'T3P: Topology-Tailored Tensor Parallelism',
     'Saar Ben-Yochana, Chen Avin, Gabriel Scalosub (Ben Gurion University of the Negev)'),
    ('16:45 - 17:00', False,
     'Quantifying the Impact of Job Placement and Routing on Network Efficiency in AI Clusters',
     'Dante Van Poucke, Didier Colle, Mario Pickavet, Wouter Tavernier (Ghent University - Imec)'),
    ('17:00 - 17:15', False,
     'AMSO-INT: Reinforcement Learning-Driven Dynamic Adaptive In-Band Telemetry',
     'Yuqi Li, Tianyu Chen (Jiangsu University), Vladimir Ciric (University of Nis), Changda Wang (Jiangsu University)'),
]

# The program lines of the page, as printed (em dash between the times).
SLOTS = [
    "08:00 — 08:45 | Registration",
    "08:45 — 09:00 | Welcoming Remarks",
    "09:00 — 09:55 | Keynote 1: Improving the Performance and Resiliency for Large-Scale Distributed Training | Minlan Yu (Harvard University) Video",
    "09:55 — 10:30 | Session 1: Taming AI Networking | Chair: Chen Tian",
    "10:30 — 11:00 | Morning coffee break",
    "11:00 — 11:40 | Session 2: SimCity for AI Systems | Chair: Qingkai Meng",
    "11:40 — 12:45 | Session 3: Optimizing the AI Journey | Chair: Stefano Salsano",
    "12:45 — 14:00 | Lunch Break",
    "14:05 — 14:55 | Keynote 2: Cross-Layer Innovations in Network Design for AI at Meta | Ying Zhang (Meta) Video",
    "15:00 — 15:45 | Session 4: LLMs Without Borders | Chair: Haoyu Song",
    "15:45 — 16:15 | Afternoon Coffee Break",
    "16:15 — 17:15 | Session 5: Smart Moves in AI Networking | Chair: Marios Kogias",
    "17:15 — 18:00 | Panel Discussion: Will AI Eat the Network… or Just Snack on It? | Chair: Haoyu Song (Futurewei) | Panelists: Video",
]

PANELISTS = ["Kai Chen (HKUST)", "Dongsu Han (KAIST)", "Ramana Kompella (Cisco)", "Nick McKeown (Stanford)",
             "Mark Silberstein (Technion)", "Keyi Zhu (Huawei)"]
PANEL_TOPIC = "Network challenges and opportunities in the age of agentic AI and Internet of Agents"

KEYNOTE_ABSTRACT_STARTS = [
    "The increasing scale of distributed training presents two major challenges",
    "As AI workloads continue to scale at Meta",
]
KEYNOTE_ABSTRACT_ENDS = [
    "In this talk, we will show a few examples of such integration in our recent work.",
    "to advance the state of AI networking at Meta.",
]
KEYNOTE_BIOGRAPHY_STARTS = [
    "Minlan Yu is a Gordon McKay professor at the Harvard School of Engineering and Applied Science.",
    "Ying Zhang is a Senior Engineering Manager at Meta.",
]

# "Organizers": committee heading, then "Name Institution" rows (split by hand where the page has a table).
COMMITTEES = {
    "General Co-Chairs": [
        ("Marco Canini", "King Abdullah University of Science and Technology"),
        ("Chen Tian", "Nanjing University"),
        ("Mario Baldi", "NVIDIA"),
        ("Stefano Salsano", "University of Rome Tor Vergata"),
    ],
    "Steering Committee Co-Chairs": [
        ("Theophilus A. Benson", "CMU"),
        ("Torsten Hoefler", "ETH Zurich"),
        ("TV Lakshman", "Nokia Bell Labs"),
        ("Haoyu Song", "Futurewei"),
        ("Ying Zhang", "Meta"),
        ("Zhi-li Zhang", "University of Minnesota"),
    ],
    "Technical Program Committee": [
        ("Hitesh Ballani", "Microsoft Research"),
        ("Ayan Banerjee", "Cisco"),
        ("Brad Beckmann", "AMD"),
        ("Didier Colle", "IMEC - Ghent University"),
        ("Daniele De Sensi", "La Sapienza University"),
        ("Alex Galis", "University College London"),
        ("Keqiang He", "Shanghai Jiao Tong University"),
        ("Qianyi Huang", "Sun Yat-sen University (SYSU)"),
        ("Myeongjae Jeon", "Postech"),
        ("Holger Karl", "HPI - University of Potsdam"),
        ("Marios Kogias", "Imperial College"),
        ("Bingyang Liu", "Huawei"),
        ("Alan Lo", "NVIDIA"),
        ("Pierpaolo Loreti", "University of Rome Tor Vergata"),
        ("Qingkai Meng", "Nanjing University"),
        ("Shrijeet Mukherjee", "Enfabrica"),
        ("Gregorio Procissi", "University of Pisa"),
        ("Dario Rossi", "Huawei"),
        ("Amedeo Sapio", "NVIDIA"),
        ("Muhammad Shahbaz", "University of Michigan"),
        ("Giuseppe Siracusano", "NEC Laboratories Europe"),
        ("Balasz Sonkoly", "Budapest University of Technology and Economics"),
        ("Tao Sun", "China Mobile"),
        ("Yinben Xia", "Tencent"),
        ("Yongqiang Xiong", "Microsoft Research"),
        ("Zhiying Xu", "Amazon"),
        ("Zhimeng Yin", "City University of Hong Kong"),
        ("Ennan Zhai", "Alibaba"),
        ("Shizhen Zhao", "Shanghai Jiao Tong University"),
        ("Yang Zhou", "UC Davis"),
    ],
}

IMPORTANT_DATES = [
    "Submission deadline May 22nd, 2025 (Updated)",
    "Acceptance notification June 25th, 2025 (Updated)",
    "Camera-ready deadline July 23rd, 2025 (Updated)",
    "Workshop date September 8th, 2025",
]

ROOM = "Room Ines de Castro"
SUBMISSION_SITE = "https://naic25.hotcrp.com/"


def page_people(line: str) -> list[tuple[str, str]]:
    """'A, B (X), C (Y)' -> [(A, X), (B, X), (C, Y)]: names before a parenthesis share its affiliation.

    An affiliation may itself hold commas ("Scala Computing, Inc."), so the line is read as a run of
    "names (affiliation)" groups rather than split on commas first.
    """
    people = []
    for names, affiliation in re.findall(r"\s*,?\s*([^()]+?)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)", line):
        people += [(name.strip(), affiliation) for name in names.split(",") if name.strip()]
    return people


def page_title(line: str) -> tuple[str, bool, bool]:
    """A title line -> (title, short?, video?), removing the page's trailing marks."""
    video = line.endswith(" Video")
    line = line.removesuffix(" Video")
    short = line.endswith(" (Short)")
    return line.removesuffix(" (Short)"), short, video
