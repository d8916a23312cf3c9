#!/usr/bin/env python3
"""Writes data/professions/: one career framework CSV per Civil Service profession and
professions.csv (job families, roles, role levels and what each level requires).

The five rich professions are written out in full below. The others are lighter: ten
skills each with a one-line description, level descriptors that follow one pattern,
and roles made of a few role names and specialisms. Every UUID is derived from a name,
so running the script again gives the same bytes.

Run from the repository root:  python3 scripts/make-professions.py
"""
import csv
import io
import os
import uuid

OUT = os.path.join(os.path.dirname(__file__), '..', 'data', 'professions')
NS = uuid.UUID('6f1c2a52-9e0d-4c1b-8a3e-5d2f7b9c4e10')
GRADES = ['AA', 'AO', 'EO', 'HEO', 'SEO', 'G7', 'G6', 'SCS1', 'SCS2', 'SCS3']
LEVEL_NAMES = ['Awareness', 'Working', 'Practitioner', 'Expert']


def uid(*parts):
    return str(uuid.uuid5(NS, '/'.join(parts)))


def lower_first(text):
    words = text.split(' ')
    if words[0].isupper() or (len(words[0]) > 1 and words[0][1].isupper()):
        return text
    return text[0].lower() + text[1:]


# ---------------------------------------------------------------------------------
# The rich professions. Each skill: title, description, four level descriptors.

RICH = [
    dict(
        code='digital', name='Digital, Data and Technology',
        description='The Digital, Data and Technology profession designs, builds and runs the '
        'services, systems and data that the public and civil servants rely on. Its people work '
        'in multidisciplinary teams that start from user needs, deliver in small steps and keep '
        'services secure and reliable.',
        induction='Welcome to the Digital, Data and Technology profession. In your first weeks, '
        'meet your team, read the Service Standard and the Technology Code of Practice, and '
        'join the show and tells where teams share what they have learned.\n\n'
        'Complete the security and data protection training before you are given access to '
        'live systems. Your line manager will agree your role level with you and the skills '
        'you should assess first.',
        clusters=[
            ('User-centred design', [
                ('User-centred design', 'Design services around the needs of the people who use them, testing ideas early and often.', [
                    'Explain why services start from user needs and take part in design activities with guidance.',
                    'Turn research findings into designs for simple journeys and test them with users.',
                    'Lead the design of complex, end-to-end services and make sure they are accessible and inclusive.',
                    'Set design direction across a portfolio, build design capability and champion users at senior level.']),
                ('User research', 'Plan and carry out research that helps teams understand users and their needs.', [
                    'Understand common research methods and help to run sessions, for example by taking notes.',
                    'Plan and run research with users, including people with access needs, and share clear findings.',
                    'Choose the right methods for complex questions and make sure research shapes decisions.',
                    'Lead research practice across organisations and set ethical and quality standards.']),
                ('Content design', 'Write and structure content so that people can find, understand and act on it.', [
                    'Know the principles of plain English and the GOV.UK style guide.',
                    'Write clear content for simple tasks and improve it using evidence from users.',
                    'Design content for complex services and policy areas, working with subject experts and lawyers.',
                    'Lead content strategy across a department and coach others in the craft.']),
            ]),
            ('Engineering and operations', [
                ('Software development', 'Build, test and maintain software that is secure, reliable and easy to change.', [
                    'Understand the basics of programming, version control and code review.',
                    'Write well-tested code for defined tasks and fix faults with support from others.',
                    'Design and build complex systems, review others\' code and improve the team\'s practices.',
                    'Set engineering standards across teams and solve the hardest technical problems.']),
                ('Technical architecture', 'Shape systems and their connections so that they meet needs now and can change later.', [
                    'Understand the main architectural patterns and why architecture decisions matter.',
                    'Describe the architecture of a system and contribute to design decisions.',
                    'Design the architecture of services, weigh options and record decisions with their reasons.',
                    'Lead architecture across an organisation and align it with government standards.']),
                ('Cloud infrastructure and operations', 'Run the platforms and services that keep digital services available.', [
                    'Know how services are hosted, monitored and supported.',
                    'Operate and monitor services, respond to incidents and automate routine tasks.',
                    'Design resilient, observable platforms and lead the response to serious incidents.',
                    'Set the strategy for hosting and operations across an organisation.']),
                ('Security by design', 'Build security into services from the start and keep it there.', [
                    'Understand common threats and the security rules for the systems you use.',
                    'Apply secure coding and configuration practices and report weaknesses.',
                    'Assess risks to services, design controls and help teams meet security standards.',
                    'Lead security practice across organisations and advise senior leaders on cyber risk.']),
                ('Testing and quality assurance', 'Make sure software works as intended and keeps working as it changes.', [
                    'Understand the purpose of testing and the main kinds of test.',
                    'Write and run automated and exploratory tests for defined features.',
                    'Plan the testing strategy for a service, including performance and accessibility.',
                    'Set quality standards across teams and lead improvements in how they test.']),
            ]),
            ('Data', [
                ('Data engineering', 'Build the pipelines and stores that make data available, accurate and well managed.', [
                    'Understand how data is collected, stored and moved between systems.',
                    'Build and maintain data pipelines with tests and documentation.',
                    'Design data platforms and pipelines at scale, with data quality built in.',
                    'Lead data engineering across an organisation and set its standards.']),
                ('Data science and machine learning', 'Use statistics and machine learning to find insight and build data products.', [
                    'Understand what data science can and cannot do and the basics of statistics.',
                    'Clean data, build and test models for defined questions and explain the results.',
                    'Choose methods for complex problems, assure models and make their limits clear.',
                    'Lead data science practice and advise on the ethical and safe use of models.']),
                ('Data analysis and visualisation', 'Turn data into clear evidence that people can use to make decisions.', [
                    'Read common charts and tables and know where the team\'s data comes from.',
                    'Analyse data to answer defined questions and present it clearly.',
                    'Design analysis for complex questions and tell a clear story with the evidence.',
                    'Set standards for analysis and presentation across an organisation.']),
            ]),
            ('Delivery', [
                ('Agile delivery', 'Help teams deliver value early and often, adapting as they learn.', [
                    'Understand agile values and the main ceremonies and roles.',
                    'Run ceremonies, manage a backlog and remove blockers for a team.',
                    'Lead delivery of complex services across several teams and manage risks and dependencies.',
                    'Lead delivery across a portfolio and build an agile culture in an organisation.']),
                ('Product and service ownership', 'Set a vision for a product or service and make choices that deliver value for users.', [
                    'Understand the role of a product manager and how services are funded.',
                    'Manage a product backlog and use data and research to set priorities.',
                    'Own a service end to end, set its strategy and measure its outcomes.',
                    'Lead a portfolio of services and make sure they meet the Service Standard.']),
            ]),
        ],
        families=[
            ('Product and delivery', [
                ('Delivery manager', 'Helps teams deliver services in small steps and removes what blocks them.', 'tech', [('Agile delivery', 9), ('Product and service ownership', 5), ('User-centred design', 3), ('Testing and quality assurance', 3)], ['Delivering at Pace', 'Leadership', 'Working Together']),
                ('Product manager', 'Sets the vision for a product and decides what the team builds next.', 'tech', [('Product and service ownership', 9), ('User research', 6), ('Agile delivery', 5), ('Data analysis and visualisation', 4)], ['Seeing the Big Picture', 'Making Effective Decisions', 'Communicating and Influencing']),
                ('Business analyst', 'Works out what a service must do and how it fits with the processes around it.', 'tech', [('Data analysis and visualisation', 7), ('User research', 6), ('Agile delivery', 5), ('Product and service ownership', 4)], ['Making Effective Decisions', 'Working Together', 'Communicating and Influencing']),
                ('Service owner', 'Is accountable for a whole service, from policy intent to the user\'s experience.', 'senior', [('Product and service ownership', 10), ('Agile delivery', 6), ('User-centred design', 5), ('Security by design', 4)], ['Leadership', 'Seeing the Big Picture', 'Managing a Quality Service']),
            ]),
            ('User-centred design', [
                ('Interaction designer', 'Designs how users move through a service and interact with each page.', 'tech', [('User-centred design', 9), ('User research', 5), ('Content design', 4), ('Software development', 2)], ['Changing and Improving', 'Working Together', 'Communicating and Influencing']),
                ('Service designer', 'Designs whole services across channels, teams and organisations.', 'tech', [('User-centred design', 9), ('User research', 6), ('Product and service ownership', 4), ('Content design', 3)], ['Seeing the Big Picture', 'Changing and Improving', 'Working Together']),
                ('Content designer', 'Writes and designs content that helps people do what they need to do.', 'tech', [('Content design', 10), ('User-centred design', 5), ('User research', 4)], ['Communicating and Influencing', 'Working Together', 'Delivering at Pace']),
                ('User researcher', 'Helps teams learn about the people who use their service.', 'tech', [('User research', 10), ('User-centred design', 5), ('Data analysis and visualisation', 4)], ['Seeing the Big Picture', 'Communicating and Influencing', 'Making Effective Decisions']),
                ('Accessibility specialist', 'Makes sure services can be used by everyone, including disabled people.', 'tech', [('User-centred design', 8), ('Testing and quality assurance', 7), ('Content design', 4), ('Software development', 4)], ['Managing a Quality Service', 'Communicating and Influencing', 'Developing Self and Others']),
            ]),
            ('Software development', [
                ('Software developer', 'Builds and maintains the software behind services.', 'tech', [('Software development', 10), ('Testing and quality assurance', 6), ('Security by design', 5), ('Technical architecture', 4), ('Agile delivery', 3)], ['Delivering at Pace', 'Working Together', 'Changing and Improving']),
                ('Frontend developer', 'Builds accessible, fast user interfaces for services.', 'tech', [('Software development', 9), ('User-centred design', 6), ('Testing and quality assurance', 5), ('Security by design', 4)], ['Delivering at Pace', 'Working Together', 'Managing a Quality Service']),
                ('DevOps engineer', 'Automates how software is built, tested, deployed and run.', 'tech', [('Cloud infrastructure and operations', 9), ('Software development', 7), ('Security by design', 6), ('Testing and quality assurance', 4)], ['Delivering at Pace', 'Changing and Improving', 'Managing a Quality Service']),
                ('Test engineer', 'Designs and automates the tests that keep software working.', 'tech', [('Testing and quality assurance', 10), ('Software development', 6), ('Security by design', 4), ('Agile delivery', 3)], ['Managing a Quality Service', 'Working Together', 'Delivering at Pace']),
            ]),
            ('Architecture', [
                ('Technical architect', 'Designs the technology of services so that they work well together.', 'arch', [('Technical architecture', 10), ('Software development', 6), ('Cloud infrastructure and operations', 6), ('Security by design', 6)], ['Seeing the Big Picture', 'Making Effective Decisions', 'Communicating and Influencing']),
                ('Enterprise architect', 'Aligns an organisation\'s technology with its strategy.', 'arch', [('Technical architecture', 10), ('Product and service ownership', 5), ('Data engineering', 4), ('Security by design', 5)], ['Seeing the Big Picture', 'Leadership', 'Communicating and Influencing']),
                ('Security architect', 'Designs the controls that keep systems and data safe.', 'arch', [('Security by design', 10), ('Technical architecture', 8), ('Cloud infrastructure and operations', 5)], ['Making Effective Decisions', 'Managing a Quality Service', 'Seeing the Big Picture']),
                ('Data architect', 'Designs how data is structured, stored and shared.', 'arch', [('Data engineering', 9), ('Technical architecture', 8), ('Security by design', 4)], ['Seeing the Big Picture', 'Making Effective Decisions', 'Working Together']),
            ]),
            ('Data', [
                ('Data scientist', 'Builds models and analysis that find insight in data.', 'tech', [('Data science and machine learning', 10), ('Data analysis and visualisation', 7), ('Data engineering', 5), ('Software development', 4)], ['Making Effective Decisions', 'Communicating and Influencing', 'Changing and Improving']),
                ('Data engineer', 'Builds the pipelines that make data ready to use.', 'tech', [('Data engineering', 10), ('Software development', 7), ('Cloud infrastructure and operations', 5), ('Security by design', 4)], ['Delivering at Pace', 'Working Together', 'Managing a Quality Service']),
                ('Data analyst', 'Analyses data and presents it so that people can act on it.', 'tech', [('Data analysis and visualisation', 10), ('Data science and machine learning', 4), ('Data engineering', 3)], ['Making Effective Decisions', 'Communicating and Influencing', 'Working Together']),
                ('Performance analyst', 'Measures how services perform and finds where to improve them.', 'tech', [('Data analysis and visualisation', 9), ('Product and service ownership', 5), ('User research', 4)], ['Changing and Improving', 'Making Effective Decisions', 'Communicating and Influencing']),
                ('Machine learning engineer', 'Puts models into production and keeps them safe and accurate.', 'tech', [('Data science and machine learning', 9), ('Software development', 8), ('Cloud infrastructure and operations', 5), ('Security by design', 4)], ['Delivering at Pace', 'Making Effective Decisions', 'Changing and Improving']),
            ]),
            ('IT operations', [
                ('Service desk analyst', 'Helps colleagues solve problems with their technology.', 'ops', [('Cloud infrastructure and operations', 7), ('Security by design', 5), ('Content design', 2)], ['Managing a Quality Service', 'Working Together', 'Delivering at Pace']),
                ('Infrastructure engineer', 'Builds and maintains networks, servers and cloud platforms.', 'tech', [('Cloud infrastructure and operations', 10), ('Security by design', 6), ('Software development', 4)], ['Delivering at Pace', 'Managing a Quality Service', 'Working Together']),
                ('Cyber security analyst', 'Monitors systems for threats and responds to incidents.', 'tech', [('Security by design', 10), ('Cloud infrastructure and operations', 6), ('Data analysis and visualisation', 4)], ['Making Effective Decisions', 'Managing a Quality Service', 'Delivering at Pace']),
                ('IT service manager', 'Makes sure IT services meet agreed levels and improve over time.', 'ops', [('Cloud infrastructure and operations', 8), ('Agile delivery', 5), ('Security by design', 4)], ['Managing a Quality Service', 'Leadership', 'Changing and Improving']),
            ]),
        ],
        qualifications={1: ['No particular qualification is required: skills and experience matter more than certificates.'],
                        4: ['Recognised certification in your specialism, or equivalent experience, is desirable.']},
        specialisms=['Citizen services', 'Platforms'],
    ),
    dict(
        code='policy', name='Policy',
        description='The Policy profession develops and delivers the government\'s policies: it '
        'works out what the problem is, what could be done about it and what difference it '
        'would make, and it supports ministers to decide.',
        induction='Welcome to the Policy profession. Start by reading the Policy Profession '
        'Standards and your department\'s guidance on writing submissions for ministers.\n\n'
        'In your first three months, shadow a colleague through a policy cycle, attend a '
        'Parliament induction session and agree with your line manager which standards to '
        'develop first.',
        clusters=[
            ('Analysis and use of evidence', [
                ('Evidence and analysis', 'Use the best evidence, from research, data and experience, to understand problems and options.', [
                    'Know where to find evidence on your policy area and how to judge its quality.',
                    'Gather and summarise evidence for defined questions and note its limits.',
                    'Commission and weigh evidence from many sources, including analysts, and draw sound conclusions.',
                    'Build the evidence base for major policy areas and challenge weak evidence at senior level.']),
                ('Futures and strategic thinking', 'Look ahead to long-term trends, risks and opportunities and plan for them.', [
                    'Understand why policy must consider the long term and how trends affect your area.',
                    'Use simple futures tools, such as scenarios, to test policy options.',
                    'Lead strategic work that shapes the direction of a policy area for years to come.',
                    'Set long-term strategy across government and build futures capability.']),
                ('Economic and financial appraisal', 'Understand the costs, benefits and value for money of policy options.', [
                    'Know the basics of the Green Book and why value for money matters.',
                    'Work with economists to set out costs and benefits for simple options.',
                    'Lead appraisal of complex options and explain trade-offs clearly to decision makers.',
                    'Shape how appraisal is used in major spending decisions across government.']),
            ]),
            ('Politics and democracy', [
                ('Ministerial and parliamentary work', 'Support ministers and Parliament: submissions, briefings, questions and legislation.', [
                    'Understand how ministers make decisions and how Parliament scrutinises government.',
                    'Draft clear submissions, briefings and answers to parliamentary questions.',
                    'Manage a bill or a major ministerial programme and advise ministers directly.',
                    'Advise secretaries of state and lead the department\'s work with Parliament.']),
                ('Stakeholder management', 'Build relationships with those affected by policy and bring their views into it.', [
                    'Know who the main stakeholders in your area are and what they care about.',
                    'Engage stakeholders on defined issues and reflect their views accurately.',
                    'Lead engagement and consultation on contested policy and build lasting partnerships.',
                    'Build coalitions across sectors and nations to deliver major reforms.']),
                ('Legislation and the law', 'Understand the legal framework and work with lawyers to make and change law.', [
                    'Know how primary and secondary legislation are made.',
                    'Prepare instructions to lawyers and handle the stages of secondary legislation.',
                    'Lead the policy side of a bill through both Houses of Parliament.',
                    'Advise on the constitutional and legal strategy for major legislation.']),
            ]),
            ('Delivery', [
                ('Policy design', 'Design policies that achieve their aims and can be delivered.', [
                    'Understand the policy cycle and the main tools of government.',
                    'Develop options for defined problems and test them with colleagues and users.',
                    'Design complex policy with delivery partners, users and analysts from the start.',
                    'Lead the design of major cross-government policy and innovate in how policy is made.']),
                ('Implementation and delivery', 'Turn policy into services and outcomes, working with those who deliver them.', [
                    'Understand who delivers policy in your area and how.',
                    'Plan implementation of defined policies and track progress.',
                    'Lead implementation with delivery bodies and fix problems as they arise.',
                    'Lead delivery of major reforms and build the capacity to deliver across systems.']),
                ('Monitoring and evaluation', 'Find out whether policies work and use what is learned.', [
                    'Understand why evaluation matters and the main types of evaluation.',
                    'Set out success measures and collect monitoring information.',
                    'Design evaluation into policy from the start and use the results to improve it.',
                    'Build a culture of evaluation and learning across a department.']),
                ('Written communication', 'Write clearly and concisely for ministers, colleagues and the public.', [
                    'Write clear, accurate notes and emails in plain English.',
                    'Write well-structured submissions and briefings to tight deadlines.',
                    'Write persuasively on complex and sensitive issues for senior audiences.',
                    'Set the standard for writing in a department and coach others.']),
            ]),
        ],
        families=[
            ('Policy development', [
                ('Policy adviser', 'Develops and advises on policy in a defined area.', 'policy', [('Policy design', 10), ('Evidence and analysis', 7), ('Written communication', 7), ('Ministerial and parliamentary work', 6), ('Stakeholder management', 5)], ['Seeing the Big Picture', 'Making Effective Decisions', 'Communicating and Influencing']),
                ('Strategy adviser', 'Looks ahead and shapes the long-term direction of a policy area.', 'policy', [('Futures and strategic thinking', 10), ('Evidence and analysis', 7), ('Policy design', 6), ('Economic and financial appraisal', 4)], ['Seeing the Big Picture', 'Changing and Improving', 'Making Effective Decisions']),
                ('International policy adviser', 'Works on policy with other countries and international bodies.', 'policy', [('Policy design', 9), ('Stakeholder management', 8), ('Ministerial and parliamentary work', 5), ('Written communication', 6)], ['Seeing the Big Picture', 'Communicating and Influencing', 'Working Together']),
            ]),
            ('Parliament and legislation', [
                ('Bill manager', 'Manages a bill from preparation to Royal Assent.', 'policy', [('Legislation and the law', 10), ('Ministerial and parliamentary work', 9), ('Stakeholder management', 5), ('Written communication', 5)], ['Delivering at Pace', 'Communicating and Influencing', 'Working Together']),
                ('Parliamentary clerk', 'Coordinates the department\'s parliamentary business.', 'ops', [('Ministerial and parliamentary work', 9), ('Written communication', 7), ('Legislation and the law', 4)], ['Managing a Quality Service', 'Delivering at Pace', 'Working Together']),
                ('Private secretary', 'Supports a minister or senior official and manages their office.', 'policy', [('Ministerial and parliamentary work', 10), ('Written communication', 7), ('Stakeholder management', 6)], ['Delivering at Pace', 'Making Effective Decisions', 'Communicating and Influencing']),
            ]),
            ('Delivery and evaluation', [
                ('Policy implementation lead', 'Makes sure policy is delivered as intended with delivery partners.', 'policy', [('Implementation and delivery', 10), ('Stakeholder management', 7), ('Monitoring and evaluation', 5), ('Policy design', 5)], ['Delivering at Pace', 'Working Together', 'Managing a Quality Service']),
                ('Evaluation lead', 'Designs and uses evaluation to improve policy.', 'policy', [('Monitoring and evaluation', 10), ('Evidence and analysis', 8), ('Economic and financial appraisal', 4)], ['Making Effective Decisions', 'Changing and Improving', 'Communicating and Influencing']),
                ('Correspondence officer', 'Answers letters and enquiries from the public and MPs.', 'ops', [('Written communication', 9), ('Ministerial and parliamentary work', 5), ('Stakeholder management', 3)], ['Managing a Quality Service', 'Delivering at Pace', 'Communicating and Influencing']),
            ]),
        ],
        qualifications={3: ['Evidence of the Policy Profession Standards at practitioner level, or working towards them.'],
                        5: ['Evidence of the Policy Profession Standards at expert level.']},
        specialisms=['Economy', 'Society', 'Environment', 'Security'],
    ),
    dict(
        code='operational-delivery', name='Operational Delivery',
        description='The Operational Delivery profession is the largest in the Civil Service. Its '
        'people deliver services directly to the public and to businesses: paying benefits, '
        'collecting taxes, running courts, prisons and borders, and answering questions from '
        'millions of people every year.',
        induction='Welcome to the Operational Delivery profession. Your first weeks are about '
        'learning the service you deliver: you will shadow experienced colleagues, complete '
        'your induction training and learn the systems and guidance you will use every day.\n\n'
        'Ask your line manager about the Operational Delivery Profession Framework and the '
        'qualifications it offers at every grade.',
        clusters=[
            ('Customer service', [
                ('Customer service', 'Give people a service that is helpful, fair and right first time.', [
                    'Know the standards of service your team offers and treat people with respect.',
                    'Handle customer contacts well, resolving most issues at the first contact.',
                    'Handle complex and sensitive contacts and help colleagues improve the service they give.',
                    'Set service standards across an operation and make sure customers\' voices shape it.']),
                ('Supporting vulnerable customers', 'Recognise when people need extra help and give it.', [
                    'Know the signs that someone may need extra help and where to refer them.',
                    'Support customers in vulnerable circumstances using the right guidance.',
                    'Handle the most complex cases and advise colleagues on safeguarding.',
                    'Lead the approach to vulnerability across an organisation.']),
                ('Complaints handling', 'Resolve complaints fairly and learn from them.', [
                    'Know how the complaints process works and how to record a complaint.',
                    'Investigate and resolve complaints within the standards.',
                    'Handle escalated complaints and find the causes behind them.',
                    'Use complaints to drive improvement across the service.']),
            ]),
            ('Casework and compliance', [
                ('Casework', 'Make accurate, timely and lawful decisions on individual cases.', [
                    'Understand the types of case your team handles and the guidance that applies.',
                    'Process routine cases accurately and within targets.',
                    'Decide complex cases, explain decisions clearly and check the work of others.',
                    'Set casework policy and quality standards across an operation.']),
                ('Compliance and enforcement', 'Make sure people and businesses follow the rules, and act when they do not.', [
                    'Know the rules your service enforces and why they matter.',
                    'Carry out checks and take routine enforcement action under guidance.',
                    'Lead investigations and enforcement in complex or high-risk cases.',
                    'Set the compliance strategy and work with other agencies to tackle risks.']),
                ('Using data and systems', 'Use operational systems and data accurately and securely.', [
                    'Use the main systems for your role and protect the data they hold.',
                    'Use systems and management information to plan and check your work.',
                    'Use data to find trends, risks and improvements in an operation.',
                    'Lead the design of operational systems and data with digital teams.']),
            ]),
            ('Operations management', [
                ('Operational planning', 'Plan resources so that the service meets demand.', [
                    'Understand how your team\'s work is planned and why targets matter.',
                    'Plan the team\'s work and staff it to meet forecast demand.',
                    'Forecast and plan resources for a large operation, including for peaks.',
                    'Set the operating model and long-term resource plans for an organisation.']),
                ('Continuous improvement', 'Find and remove waste and failure from how work is done.', [
                    'Suggest improvements to how your team works.',
                    'Use simple improvement tools to solve problems in a process.',
                    'Lead improvement projects that change how an operation works.',
                    'Build a culture of improvement across an organisation.']),
                ('Managing people in operations', 'Lead teams to deliver a good service while looking after their wellbeing.', [
                    'Understand what is expected of you and how your performance is measured.',
                    'Support and coach colleagues and help them meet their objectives.',
                    'Lead several teams, manage performance and develop team leaders.',
                    'Lead large operations and shape their culture.']),
                ('Security and information handling', 'Handle information securely and spot and report risks.', [
                    'Know how to classify, store and share information and how to report incidents.',
                    'Apply security rules in your daily work and help others follow them.',
                    'Manage security risks in an operation and respond to incidents.',
                    'Set the security culture and controls for a large operation.']),
            ]),
        ],
        families=[
            ('Customer contact', [
                ('Contact centre adviser', 'Answers calls, webchats and messages from the public.', 'ops', [('Customer service', 10), ('Supporting vulnerable customers', 6), ('Using data and systems', 5), ('Security and information handling', 4)], ['Managing a Quality Service', 'Communicating and Influencing', 'Delivering at Pace']),
                ('Work coach', 'Supports people to find and stay in work.', 'ops', [('Customer service', 9), ('Supporting vulnerable customers', 8), ('Casework', 5), ('Using data and systems', 4)], ['Developing Self and Others', 'Communicating and Influencing', 'Working Together']),
                ('Complaints resolution officer', 'Resolves complaints and feeds back lessons.', 'ops', [('Complaints handling', 10), ('Customer service', 7), ('Casework', 5)], ['Managing a Quality Service', 'Making Effective Decisions', 'Communicating and Influencing']),
            ]),
            ('Casework and decision making', [
                ('Caseworker', 'Decides individual cases accurately and on time.', 'ops', [('Casework', 10), ('Using data and systems', 6), ('Security and information handling', 5), ('Customer service', 4)], ['Making Effective Decisions', 'Delivering at Pace', 'Managing a Quality Service']),
                ('Decision maker', 'Makes and explains decisions on entitlement and eligibility.', 'ops', [('Casework', 10), ('Supporting vulnerable customers', 5), ('Compliance and enforcement', 4)], ['Making Effective Decisions', 'Communicating and Influencing', 'Managing a Quality Service']),
                ('Court and tribunal clerk', 'Supports hearings and manages court and tribunal cases.', 'ops', [('Casework', 9), ('Customer service', 6), ('Security and information handling', 5)], ['Managing a Quality Service', 'Working Together', 'Delivering at Pace']),
            ]),
            ('Compliance, enforcement and security', [
                ('Compliance officer', 'Checks that people and businesses follow the rules.', 'ops', [('Compliance and enforcement', 10), ('Casework', 6), ('Using data and systems', 5)], ['Making Effective Decisions', 'Delivering at Pace', 'Communicating and Influencing']),
                ('Border Force officer', 'Protects the border by checking people and goods.', 'ops', [('Compliance and enforcement', 10), ('Security and information handling', 7), ('Customer service', 5)], ['Making Effective Decisions', 'Working Together', 'Managing a Quality Service']),
                ('Prison officer', 'Keeps prisons safe and helps people in custody to change.', 'ops', [('Supporting vulnerable customers', 8), ('Security and information handling', 8), ('Compliance and enforcement', 6)], ['Working Together', 'Making Effective Decisions', 'Developing Self and Others']),
                ('Probation officer', 'Manages people on probation and protects the public.', 'ops', [('Casework', 9), ('Supporting vulnerable customers', 8), ('Compliance and enforcement', 5)], ['Making Effective Decisions', 'Communicating and Influencing', 'Working Together']),
            ]),
            ('Operations management', [
                ('Operations manager', 'Leads teams that deliver a service and meet its standards.', 'manager', [('Managing people in operations', 10), ('Operational planning', 8), ('Continuous improvement', 6), ('Customer service', 5)], ['Leadership', 'Delivering at Pace', 'Managing a Quality Service']),
                ('Resource planner', 'Forecasts demand and plans staffing to meet it.', 'ops', [('Operational planning', 10), ('Using data and systems', 8), ('Continuous improvement', 4)], ['Making Effective Decisions', 'Delivering at Pace', 'Seeing the Big Picture']),
                ('Continuous improvement practitioner', 'Leads work to improve processes and services.', 'ops', [('Continuous improvement', 10), ('Using data and systems', 6), ('Operational planning', 5)], ['Changing and Improving', 'Working Together', 'Making Effective Decisions']),
                ('Operations director', 'Leads a large operation across sites and regions.', 'senior', [('Managing people in operations', 10), ('Operational planning', 8), ('Security and information handling', 5), ('Continuous improvement', 5)], ['Leadership', 'Seeing the Big Picture', 'Managing a Quality Service']),
            ]),
        ],
        qualifications={1: ['The Operational Delivery Profession qualification for your grade is encouraged.'],
                        3: ['A Level 3 or above qualification in operational delivery, or working towards one.'],
                        5: ['A Level 5 qualification in operational delivery or management, or working towards one.']},
        specialisms=['Benefits', 'Tax', 'Justice', 'Borders', 'Licensing', 'Pensions'],
    ),
    dict(
        code='finance', name='Finance',
        description='The Finance profession (the Government Finance Function) makes sure public '
        'money is planned, spent and accounted for well: it advises on decisions, reports '
        'transparently to Parliament and protects against loss.',
        induction='Welcome to the Finance profession. In your first weeks, learn how your '
        'department\'s budgets are set and controlled, read Managing Public Money and meet the '
        'finance business partners for your area.\n\n'
        'If you are studying for a professional qualification, ask your line manager about study '
        'leave and the Government Finance Academy.',
        clusters=[
            ('Financial accounting and reporting', [
                ('Financial accounting', 'Record transactions accurately and keep the accounts in order.', [
                    'Understand double-entry bookkeeping and the chart of accounts.',
                    'Process and reconcile transactions and prepare journals accurately.',
                    'Prepare accounts under government accounting rules and resolve complex issues.',
                    'Lead the preparation of the annual report and accounts and advise on policy.']),
                ('Financial reporting', 'Report financial performance clearly to leaders, Parliament and the public.', [
                    'Know what the main financial reports show and who uses them.',
                    'Prepare routine reports and explain variances.',
                    'Design reporting for boards and explain complex results clearly.',
                    'Set the reporting strategy and lead relations with auditors and Parliament.']),
                ('Financial control and governance', 'Make sure money is spent properly and within delegations.', [
                    'Know the spending rules and approvals that apply to you.',
                    'Apply financial controls and check that spending is authorised.',
                    'Design controls, assess risks and advise on delegations and approvals.',
                    'Own the financial control framework of an organisation.']),
            ]),
            ('Planning and analysis', [
                ('Management accounting', 'Give managers the cost and budget information they need.', [
                    'Understand how budgets and costs are tracked.',
                    'Prepare budget monitoring and forecasts for budget holders.',
                    'Build costing models and advise managers on performance and savings.',
                    'Lead management accounting across an organisation.']),
                ('Budgeting and forecasting', 'Plan budgets and forecast spending accurately.', [
                    'Know the budget cycle and the main control totals.',
                    'Prepare budgets and forecasts and challenge assumptions.',
                    'Lead the budget process for a large area and manage pressures.',
                    'Lead spending reviews and long-term financial planning.']),
                ('Investment appraisal', 'Test whether investments and policies give value for money.', [
                    'Understand the five-case model and why appraisal matters.',
                    'Prepare the financial case for simple business cases.',
                    'Appraise complex investments and advise on affordability and risk.',
                    'Lead investment decisions and appraisal standards across an organisation.']),
            ]),
            ('Advice and partnering', [
                ('Financial management', 'Manage money across an organisation so that it delivers its aims.', [
                    'Understand how finance supports the work of your organisation.',
                    'Manage a budget and keep within it.',
                    'Lead financial management for a large directorate or programme.',
                    'Lead financial management for a department as a finance director.']),
                ('Business partnering', 'Work alongside leaders to bring financial insight into their decisions.', [
                    'Know who your customers are and what they need from finance.',
                    'Build relationships with budget holders and give them clear advice.',
                    'Influence senior leaders\' decisions with financial insight.',
                    'Shape the organisation\'s strategy as a member of its leadership team.']),
                ('Commercial and contract finance', 'Bring financial expertise to contracts and commercial decisions.', [
                    'Understand how contracts affect budgets.',
                    'Check contract payments and track commercial spending.',
                    'Advise on the financial terms and risks of major contracts.',
                    'Lead the financial side of the largest commercial deals.']),
                ('Risk and assurance', 'Identify financial risks and make sure they are managed.', [
                    'Know how risks are recorded and escalated.',
                    'Maintain risk registers and carry out assurance checks.',
                    'Lead assurance work and advise on financial risk.',
                    'Set the risk appetite and assurance approach of an organisation.']),
            ]),
        ],
        families=[
            ('Accounting and reporting', [
                ('Finance officer', 'Processes payments and income and keeps records accurate.', 'ops', [('Financial accounting', 9), ('Financial control and governance', 6), ('Financial reporting', 3)], ['Managing a Quality Service', 'Delivering at Pace', 'Working Together']),
                ('Financial accountant', 'Prepares the accounts and makes sure they follow the rules.', 'fin', [('Financial accounting', 10), ('Financial reporting', 8), ('Financial control and governance', 6)], ['Managing a Quality Service', 'Making Effective Decisions', 'Delivering at Pace']),
                ('Financial reporting manager', 'Leads financial reporting for boards and Parliament.', 'fin', [('Financial reporting', 10), ('Financial accounting', 7), ('Risk and assurance', 4)], ['Communicating and Influencing', 'Managing a Quality Service', 'Seeing the Big Picture']),
            ]),
            ('Planning and analysis', [
                ('Management accountant', 'Gives managers cost and budget information and advice.', 'fin', [('Management accounting', 10), ('Budgeting and forecasting', 8), ('Business partnering', 5)], ['Making Effective Decisions', 'Communicating and Influencing', 'Working Together']),
                ('Financial analyst', 'Analyses financial data and builds models.', 'fin', [('Budgeting and forecasting', 9), ('Investment appraisal', 7), ('Management accounting', 5)], ['Making Effective Decisions', 'Seeing the Big Picture', 'Delivering at Pace']),
                ('Financial planning manager', 'Leads budget setting and spending plans.', 'fin', [('Budgeting and forecasting', 10), ('Financial management', 7), ('Investment appraisal', 5)], ['Seeing the Big Picture', 'Making Effective Decisions', 'Leadership']),
            ]),
            ('Business partnering', [
                ('Finance business partner', 'Works with leaders to bring financial insight to decisions.', 'fin', [('Business partnering', 10), ('Financial management', 8), ('Management accounting', 6)], ['Communicating and Influencing', 'Seeing the Big Picture', 'Working Together']),
                ('Commercial finance manager', 'Advises on the money side of contracts and deals.', 'fin', [('Commercial and contract finance', 10), ('Investment appraisal', 6), ('Risk and assurance', 5)], ['Making Effective Decisions', 'Communicating and Influencing', 'Working Together']),
                ('Finance director', 'Leads finance for a department or agency.', 'senior', [('Financial management', 10), ('Business partnering', 8), ('Financial control and governance', 7), ('Risk and assurance', 6)], ['Leadership', 'Seeing the Big Picture', 'Making Effective Decisions']),
            ]),
        ],
        qualifications={2: ['An AAT qualification, or working towards one.'],
                        3: ['A CCAB or CIMA qualification, or working towards one.'],
                        4: ['A CCAB or CIMA qualification, or equivalent experience.']},
        specialisms=['Central finance', 'Programmes', 'Shared services'],
    ),
    dict(
        code='human-resources', name='Human Resources',
        description='The Human Resources profession helps the Civil Service attract, develop and '
        'keep the people it needs: it advises leaders, designs policies and runs the services '
        'that support people through their working lives.',
        induction='Welcome to the Human Resources profession. In your first weeks, learn your '
        'department\'s people policies, meet the HR business partners for the areas you support '
        'and complete the data protection training: you will handle personal information every '
        'day.\n\nAsk your line manager about the CIPD qualifications the profession supports.',
        clusters=[
            ('Advice and employee relations', [
                ('Employee relations', 'Handle workplace issues fairly, lawfully and early.', [
                    'Know the main people policies and where to find advice.',
                    'Advise managers on routine cases such as attendance and conduct.',
                    'Manage complex and contentious cases, including tribunals.',
                    'Lead employee relations strategy and relations with trade unions.']),
                ('Employment law and policy', 'Apply employment law and design people policies that follow it.', [
                    'Understand the basics of employment law and equality law.',
                    'Apply policies correctly and keep up to date with changes.',
                    'Draft and review people policies and advise on legal risk.',
                    'Set people policy for an organisation and influence it across government.']),
                ('HR business partnering', 'Work with leaders to shape their organisation and people.', [
                    'Know the business areas you support and their people priorities.',
                    'Give practical advice to managers and follow up people plans.',
                    'Advise senior leaders on organisation design, change and workforce plans.',
                    'Shape an organisation\'s strategy as a member of its leadership team.']),
            ]),
            ('Talent and capability', [
                ('Recruitment and resourcing', 'Find and appoint the right people fairly and on merit.', [
                    'Know the Civil Service Recruitment Principles and Success Profiles.',
                    'Run recruitment campaigns and support vacancy holders.',
                    'Design resourcing strategies for hard-to-fill and senior roles.',
                    'Lead resourcing across an organisation and its employer brand.']),
                ('Learning and development', 'Help people build the skills they need now and in future.', [
                    'Know the learning on offer and how to find it.',
                    'Identify learning needs and arrange learning for teams.',
                    'Design capability programmes linked to business priorities.',
                    'Lead the capability strategy of an organisation.']),
                ('Talent management', 'Find, develop and keep people with high potential.', [
                    'Understand talent schemes and how people join them.',
                    'Support talent processes such as moderation and development centres.',
                    'Design talent and succession plans for critical roles.',
                    'Lead talent strategy across an organisation.']),
            ]),
            ('Reward, data and wellbeing', [
                ('Reward and pay', 'Pay people fairly, lawfully and within budget.', [
                    'Understand the main elements of pay and pensions.',
                    'Administer pay and allowances accurately.',
                    'Design pay policies and manage the annual pay remit.',
                    'Lead reward strategy and negotiations.']),
                ('People analytics', 'Use workforce data to understand and plan the organisation.', [
                    'Know what workforce data exists and how to protect it.',
                    'Produce workforce reports and check the data is right.',
                    'Analyse workforce trends and build workforce plans.',
                    'Lead strategic workforce planning for an organisation.']),
                ('Health and wellbeing', 'Support people\'s health and wellbeing at work.', [
                    'Know the support available, such as the employee assistance programme.',
                    'Help managers make adjustments and support people back to work.',
                    'Design wellbeing and inclusion programmes.',
                    'Lead the wellbeing and inclusion strategy of an organisation.']),
                ('Organisation design and change', 'Design organisations and lead people through change.', [
                    'Understand why organisations change and how it affects people.',
                    'Support change projects, such as consultations and moves.',
                    'Lead organisation design and change for a large area.',
                    'Lead transformation across an organisation.']),
            ]),
        ],
        families=[
            ('HR advice', [
                ('HR adviser', 'Advises managers and staff on people policies and cases.', 'ops', [('Employee relations', 9), ('Employment law and policy', 7), ('Health and wellbeing', 4)], ['Communicating and Influencing', 'Making Effective Decisions', 'Working Together']),
                ('Employee relations specialist', 'Handles complex cases and relations with trade unions.', 'hr', [('Employee relations', 10), ('Employment law and policy', 9), ('Organisation design and change', 4)], ['Making Effective Decisions', 'Communicating and Influencing', 'Managing a Quality Service']),
                ('HR business partner', 'Works with leaders on their organisation and people.', 'hr', [('HR business partnering', 10), ('Organisation design and change', 7), ('People analytics', 5), ('Employee relations', 5)], ['Seeing the Big Picture', 'Communicating and Influencing', 'Leadership']),
            ]),
            ('Talent and capability', [
                ('Recruitment officer', 'Runs recruitment campaigns from advert to offer.', 'ops', [('Recruitment and resourcing', 10), ('Employment law and policy', 4)], ['Managing a Quality Service', 'Delivering at Pace', 'Working Together']),
                ('Resourcing manager', 'Plans how an organisation finds the people it needs.', 'hr', [('Recruitment and resourcing', 10), ('People analytics', 5), ('Talent management', 5)], ['Seeing the Big Picture', 'Delivering at Pace', 'Communicating and Influencing']),
                ('Learning and development adviser', 'Designs and arranges learning for teams.', 'hr', [('Learning and development', 10), ('Talent management', 5)], ['Developing Self and Others', 'Changing and Improving', 'Working Together']),
                ('Talent manager', 'Leads talent and succession planning.', 'hr', [('Talent management', 10), ('Learning and development', 6), ('People analytics', 5)], ['Developing Self and Others', 'Seeing the Big Picture', 'Making Effective Decisions']),
            ]),
            ('Reward and workforce', [
                ('Pay and reward officer', 'Administers pay, allowances and pensions.', 'ops', [('Reward and pay', 10), ('People analytics', 4)], ['Managing a Quality Service', 'Delivering at Pace', 'Working Together']),
                ('Reward specialist', 'Designs pay and reward policies.', 'hr', [('Reward and pay', 10), ('Employment law and policy', 6), ('People analytics', 5)], ['Making Effective Decisions', 'Seeing the Big Picture', 'Communicating and Influencing']),
                ('Workforce planner', 'Uses workforce data to plan for the future.', 'hr', [('People analytics', 10), ('Organisation design and change', 6), ('Talent management', 4)], ['Seeing the Big Picture', 'Making Effective Decisions', 'Working Together']),
                ('HR director', 'Leads the people function of a department.', 'senior', [('HR business partnering', 10), ('Organisation design and change', 8), ('Employee relations', 6), ('Talent management', 6)], ['Leadership', 'Seeing the Big Picture', 'Developing Self and Others']),
            ]),
        ],
        qualifications={2: ['CIPD Level 3, or working towards it.'],
                        3: ['CIPD Level 5, or working towards it.'],
                        5: ['CIPD Level 7 or chartered membership of the CIPD.']},
        specialisms=['Corporate', 'Operations'],
    ),
]

# ---------------------------------------------------------------------------------
# The lighter professions: code, name, what it does, skills (title: description),
# roles (name, ladder, main skills), specialisms, qualification.

LIGHT = [
    ('actuarial', 'Actuarial', 'analyses financial risk for pensions, insurance and public finances using mathematics and statistics',
     ['Actuarial modelling: Build models of future financial outcomes and their uncertainty.', 'Pensions valuation: Value pension liabilities and advise on funding.', 'Insurance and risk transfer: Advise on insurance schemes and how risk is shared.', 'Mortality and demographic analysis: Project how populations and their longevity will change.', 'Investment analysis: Assess investments and their risks.', 'Statistical methods: Apply statistical methods correctly.', 'Actuarial advice: Give clear, impartial advice to clients.', 'Professional standards and assurance: Apply professional standards and review others\' work.', 'Data management for actuarial work: Prepare and check the data that models rely on.', 'Communicating risk: Explain risk and uncertainty to people who are not experts.'],
     [('Actuarial analyst', 'tech'), ('Actuary', 'prof'), ('Actuarial adviser', 'prof')], ['Pensions', 'Social security', 'Insurance', 'Public finances'],
     'Membership of the Institute and Faculty of Actuaries, as a student or qualified actuary.'),
    ('commercial', 'Commercial', 'buys the goods and services government needs and manages the contracts that deliver them',
     ['Commercial strategy: Plan how to meet needs through the market.', 'Procurement: Run fair, lawful procurements that get good value.', 'Contract management: Manage contracts so that suppliers deliver what was agreed.', 'Negotiation: Negotiate deals that protect the public interest.', 'Market engagement: Understand markets and engage suppliers early.', 'Supplier relationship management: Build productive relationships with key suppliers.', 'Procurement law: Apply public procurement law.', 'Commercial risk management: Identify and manage commercial risks.', 'Category management: Manage spend across a category of goods or services.', 'Social value: Use contracts to deliver wider benefits for society.'],
     [('Procurement officer', 'ops'), ('Category manager', 'prof'), ('Contract manager', 'prof'), ('Commercial lead', 'prof')], ['Technology', 'Construction', 'Professional services', 'Facilities'],
     'CIPS Level 4 or above, or working towards it.'),
    ('communication', 'Communication', 'explains government policies and services to the public and helps change behaviour where that serves the public',
     ['Communications strategy: Plan campaigns that meet clear objectives.', 'Media relations: Work with journalists and handle press enquiries.', 'Digital communication: Use digital channels to reach audiences.', 'Internal communication: Keep colleagues informed and engaged.', 'Insight and evaluation: Use audience insight and measure results.', 'Writing and editing: Write clearly for different audiences.', 'Marketing and campaigns: Run campaigns that change behaviour.', 'Crisis communication: Communicate quickly and accurately in a crisis.', 'Stakeholder communication: Communicate with partners and stakeholders.', 'Brand and creative: Develop creative work that follows government brand rules.'],
     [('Communications officer', 'ops'), ('Press officer', 'prof'), ('Campaign manager', 'prof'), ('Internal communications manager', 'prof')], ['Press office', 'Campaigns', 'Internal', 'Digital'],
     'A professional qualification in communications is desirable.'),
    ('corporate-finance', 'Corporate Finance', 'advises government on its financial interests in companies, assets and markets',
     ['Corporate finance transactions: Plan and carry out transactions such as sales and investments.', 'Valuation: Value companies and assets.', 'Financial modelling: Build financial models of companies and deals.', 'Due diligence: Investigate the facts behind a transaction.', 'Shareholder management: Manage government\'s interests as a shareholder.', 'Capital markets: Understand how capital markets work.', 'Deal negotiation: Negotiate the terms of transactions.', 'Financial risk analysis: Identify financial risks in deals.', 'Corporate governance: Apply good corporate governance.', 'Restructuring and insolvency: Advise on companies in financial difficulty.'],
     [('Corporate finance analyst', 'tech'), ('Corporate finance adviser', 'prof'), ('Shareholder executive', 'prof')], ['Transactions', 'Shareholdings', 'Infrastructure finance'],
     'A CFA, ACA or equivalent qualification is desirable.'),
    ('counter-fraud', 'Counter Fraud', 'finds, prevents and recovers losses from fraud and error against the public sector',
     ['Fraud risk assessment: Identify where fraud could happen and how likely it is.', 'Fraud investigation: Investigate suspected fraud to the standard the law requires.', 'Intelligence and data analysis: Use data and intelligence to find fraud.', 'Fraud prevention: Design controls that prevent fraud.', 'Recovery and sanctions: Recover losses and apply sanctions.', 'Legal powers and evidence: Use legal powers correctly and handle evidence.', 'Interviewing: Conduct interviews under caution.', 'Counter fraud strategy: Plan how an organisation tackles fraud.', 'Error and debt management: Reduce error and manage debt.', 'Partnership working: Work with police and other agencies.'],
     [('Fraud investigator', 'ops'), ('Fraud analyst', 'tech'), ('Counter fraud manager', 'prof')], ['Benefit fraud', 'Tax fraud', 'Procurement fraud', 'Grant fraud'],
     'Accreditation as a counter fraud practitioner.'),
    ('economics', 'Economics', 'applies economic analysis to policy, helping government spend money well and understand the economy',
     ['Economic analysis: Apply economic theory to real problems.', 'Appraisal and evaluation: Appraise options and evaluate policies.', 'Econometrics: Use statistical methods to estimate economic relationships.', 'Economic modelling: Build models of the economy or markets.', 'Forecasting: Forecast economic variables.', 'Microeconomics: Analyse markets, firms and households.', 'Macroeconomics: Analyse the whole economy.', 'Communicating economics: Explain economics to non-economists.', 'Behavioural economics: Use insights into how people behave.', 'Quality assurance of analysis: Check analysis is fit for purpose.'],
     [('Assistant economist', 'tech'), ('Economic adviser', 'prof'), ('Chief economist', 'senior')], ['Labour market', 'Public finances', 'Trade', 'Environment', 'Health'],
     'A degree in economics or a related subject.'),
    ('geography', 'Geography', 'uses geographical data and analysis to understand places and the people who live in them',
     ['Geospatial analysis: Analyse data that has a location.', 'Geographic information systems: Use GIS tools.', 'Cartography and visualisation: Make clear maps.', 'Spatial data management: Manage geospatial data.', 'Place-based policy: Apply geography to policy.', 'Remote sensing: Use satellite and aerial data.', 'Spatial statistics: Apply statistics to places.', 'Environmental geography: Understand natural systems.', 'Human geography: Understand people and places.', 'Communicating geography: Explain findings about places.'],
     [('Geospatial analyst', 'tech'), ('Geographer', 'prof')], ['Environment', 'Housing', 'Transport'],
     'A degree in geography or a related subject.'),
    ('intelligence-analysis', 'Intelligence Analysis', 'turns information into assessments that help government understand threats and act on them',
     ['Intelligence assessment: Judge what information means and how sure we are.', 'Source evaluation: Judge how reliable sources are.', 'Analytical techniques: Use structured analytical techniques.', 'Threat assessment: Assess threats to security.', 'Intelligence reporting: Write clear intelligence reports.', 'Collection management: Direct the collection of information.', 'Data exploitation: Use large datasets in analysis.', 'Handling classified information: Protect sensitive information.', 'Briefing decision makers: Brief senior people on assessments.', 'Analytical standards: Meet professional analytical standards.'],
     [('Intelligence analyst', 'tech'), ('Intelligence assessor', 'prof'), ('Intelligence manager', 'prof')], ['Counter terrorism', 'Serious crime', 'Borders', 'Cyber'],
     'Accreditation through the Professional Head of Intelligence Analysis is desirable.'),
    ('internal-audit', 'Internal Audit', 'gives leaders independent assurance that risks are managed and controls work',
     ['Audit planning: Plan audit work based on risk.', 'Audit fieldwork: Test controls and gather evidence.', 'Risk management: Understand how organisations manage risk.', 'Governance review: Assess governance arrangements.', 'Audit reporting: Report findings clearly.', 'Data analytics in audit: Use data to test whole populations.', 'IT audit: Audit technology and information security.', 'Professional standards: Apply the internal audit standards.', 'Stakeholder management in audit: Work with those being audited.', 'Counter fraud awareness: Spot signs of fraud.'],
     [('Internal auditor', 'tech'), ('Audit manager', 'prof'), ('Head of internal audit', 'senior')], ['Financial audit', 'IT audit', 'Programme audit'],
     'CIIA, CCAB or working towards one.'),
    ('knowledge-and-information-management', 'Knowledge and Information Management', 'makes sure government information is managed, protected, shared and kept for the right time',
     ['Information management: Manage information through its life.', 'Records management: Keep records and dispose of them correctly.', 'Information rights: Handle requests under information law.', 'Data protection: Protect personal data.', 'Knowledge management: Help people share what they know.', 'Information risk: Manage risks to information.', 'Information architecture: Organise information so it can be found.', 'Digital preservation: Keep digital records usable.', 'Library and research services: Find and provide information.', 'Information governance: Set rules for managing information.'],
     [('Information officer', 'ops'), ('Information manager', 'prof'), ('Data protection officer', 'prof')], ['Records', 'Information rights', 'Knowledge'],
     'A qualification in information or records management is desirable.'),
    ('legal', 'Legal', 'gives government legal advice, drafts legislation and represents it in court',
     ['Legal advice: Give sound legal advice.', 'Litigation: Conduct cases in courts and tribunals.', 'Legislative drafting: Draft bills and statutory instruments.', 'Public law: Apply public and administrative law.', 'Commercial law: Advise on contracts and commercial matters.', 'Employment law: Advise on employment matters.', 'European and international law: Apply international law.', 'Legal research: Research the law thoroughly.', 'Legal risk management: Assess and manage legal risk.', 'Advocacy: Present cases persuasively.'],
     [('Legal officer', 'ops'), ('Government lawyer', 'legal'), ('Litigator', 'legal')], ['Public law', 'Commercial', 'Employment', 'Litigation'],
     'Qualified as a solicitor or barrister in England and Wales, or as a lawyer in Scotland or Northern Ireland.'),
    ('medicine', 'Medical', 'brings medical expertise to health policy, public health and occupational health',
     ['Clinical advice: Give clinical advice to policy makers.', 'Public health: Protect and improve the health of the population.', 'Epidemiology: Study patterns of disease.', 'Health protection: Respond to threats to health.', 'Medical ethics: Apply ethical principles.', 'Occupational medicine: Advise on health and work.', 'Clinical governance: Assure the quality of care.', 'Health evidence: Appraise medical evidence.', 'Health policy: Apply medicine to policy.', 'Medical leadership: Lead clinical teams.'],
     [('Medical adviser', 'prof'), ('Public health consultant', 'prof')], ['Public health', 'Occupational health', 'Health protection'],
     'Full registration with the General Medical Council.'),
    ('occupational-psychology', 'Occupational Psychology', 'applies psychology to work: selection, development, wellbeing and organisational change',
     ['Psychological assessment: Design and use assessments.', 'Selection and assessment design: Design fair selection processes.', 'Research methods in psychology: Apply research methods.', 'Organisational development: Improve how organisations work.', 'Wellbeing and engagement: Improve wellbeing at work.', 'Learning and development design: Design learning using psychology.', 'Leadership development: Develop leaders.', 'Coaching: Coach individuals.', 'Ethics in psychology: Apply professional ethics.', 'Evaluation of interventions: Evaluate whether interventions work.'],
     [('Assistant psychologist', 'tech'), ('Occupational psychologist', 'prof')], ['Assessment', 'Wellbeing', 'Leadership'],
     'Registration with the Health and Care Professions Council as an occupational psychologist.'),
    ('operational-research', 'Operational Research', 'uses analytical methods to help government make better decisions and run better services',
     ['Problem structuring: Define complex problems.', 'Simulation modelling: Build simulation models.', 'Optimisation: Find the best option under constraints.', 'Forecasting and demand modelling: Forecast demand.', 'Data analysis for operational research: Analyse data.', 'Programming for analysis: Write code for analysis.', 'Decision analysis: Support decisions under uncertainty.', 'Model quality assurance: Assure models.', 'Communicating analysis: Explain analysis.', 'Systems thinking: Understand whole systems.'],
     [('Operational researcher', 'tech'), ('Senior operational researcher', 'prof'), ('Head of modelling', 'senior')], ['Operations', 'Workforce', 'Health', 'Defence'],
     'A degree with high quantitative content.'),
    ('planning', 'Planning', 'shapes how land is used and developed, balancing homes, jobs, infrastructure and the environment',
     ['Planning policy: Develop planning policy.', 'Development management: Assess planning applications.', 'Planning law: Apply planning law.', 'Urban design: Understand good design of places.', 'Infrastructure planning: Plan major infrastructure.', 'Environmental assessment: Assess environmental effects.', 'Community engagement in planning: Involve communities.', 'Spatial planning: Plan at regional and local scale.', 'Heritage and conservation: Protect heritage.', 'Viability and land economics: Assess viability.'],
     [('Planning officer', 'tech'), ('Planning policy adviser', 'prof')], ['Housing', 'Infrastructure', 'Environment'],
     'Chartered membership of the Royal Town Planning Institute, or working towards it.'),
    ('planning-inspectors', 'Planning Inspectors', 'decides planning appeals and examines local plans independently and fairly',
     ['Appeal decision making: Decide appeals fairly.', 'Hearings and inquiries: Run hearings and inquiries.', 'Plan examination: Examine local plans.', 'Planning law for inspectors: Apply planning law.', 'Decision writing: Write clear decisions.', 'Site visits: Assess sites.', 'Evidence assessment: Weigh evidence.', 'Impartiality and conduct: Act impartially.', 'Environmental and heritage matters: Weigh environmental effects.', 'Case management: Manage cases to time.'],
     [('Planning inspector', 'prof'), ('Case officer', 'ops')], ['Appeals', 'Local plans', 'Infrastructure'],
     'Chartered membership of the RTPI or equivalent.'),
    ('project-delivery', 'Project Delivery', 'leads the projects and programmes that deliver government\'s priorities, from IT systems to infrastructure',
     ['Project management: Plan and control projects.', 'Programme management: Coordinate related projects.', 'Risk and issue management: Manage risks and issues.', 'Planning and scheduling: Build and maintain plans.', 'Benefits management: Define and realise benefits.', 'Project governance: Set up effective governance.', 'Project finance: Manage project budgets.', 'Change management: Help people adopt change.', 'Portfolio management: Manage a portfolio.', 'Project assurance: Assure projects.'],
     [('Project support officer', 'ops'), ('Project manager', 'prof'), ('Programme manager', 'prof'), ('Senior responsible owner', 'senior')], ['Digital', 'Infrastructure', 'Transformation', 'Defence'],
     'APM PMQ, PRINCE2 or equivalent is desirable.'),
    ('property', 'Property', 'manages government\'s land and buildings so they support services and give value for money',
     ['Estate strategy: Plan the estate.', 'Asset management: Manage property assets.', 'Facilities management: Run buildings well.', 'Property transactions: Buy, sell and lease property.', 'Property valuation: Value property.', 'Construction and projects: Deliver building projects.', 'Sustainability in property: Reduce carbon and waste.', 'Workplace design: Design good workplaces.', 'Property law: Apply property law.', 'Health and safety in buildings: Keep buildings safe.'],
     [('Facilities officer', 'ops'), ('Estates surveyor', 'prof'), ('Estates manager', 'prof')], ['Workplace', 'Operational estate', 'Land'],
     'Membership of the RICS is desirable.'),
    ('science-and-engineering', 'Science and Engineering', 'brings scientific and engineering expertise to government decisions and services',
     ['Scientific advice: Give scientific advice.', 'Research and experimentation: Plan and run research.', 'Engineering design: Design engineering solutions.', 'Systems engineering: Manage complex systems.', 'Test and evaluation: Test systems.', 'Laboratory practice: Work safely in laboratories.', 'Technical assurance: Assure technical work.', 'Horizon scanning: Spot scientific developments.', 'Safety and regulation: Apply safety rules.', 'Science communication: Explain science.'],
     [('Scientist', 'tech'), ('Engineer', 'tech'), ('Scientific adviser', 'prof')], ['Defence science', 'Environment', 'Health', 'Nuclear', 'Transport'],
     'A degree in a science or engineering subject; chartered status at senior levels.'),
    ('security', 'Security', 'protects government\'s people, information and assets from threats',
     ['Protective security: Protect people, sites and information.', 'Personnel security: Vet people and manage insider risk.', 'Physical security: Secure buildings and sites.', 'Cyber security awareness: Understand cyber threats.', 'Security risk management: Assess and manage security risks.', 'Incident management: Respond to security incidents.', 'Security culture: Build good security behaviours.', 'Security assurance: Check security controls work.', 'Information security: Protect classified information.', 'Investigations: Investigate security breaches.'],
     [('Security officer', 'ops'), ('Vetting officer', 'ops'), ('Security adviser', 'prof'), ('Departmental security officer', 'senior')], ['Personnel', 'Physical', 'Cyber', 'Information'],
     'A recognised security qualification is desirable.'),
    ('social-research', 'Social Research', 'provides research evidence about society to inform policy and services',
     ['Research design: Design robust research.', 'Survey methods: Design and run surveys.', 'Qualitative research: Use interviews and focus groups.', 'Quantitative analysis: Analyse numerical data.', 'Evaluation methods: Evaluate policies.', 'Research ethics: Apply ethical standards.', 'Evidence synthesis: Review evidence.', 'Research management: Commission and manage research.', 'Communicating research: Explain research.', 'Data protection in research: Protect participants\' data.'],
     [('Research officer', 'tech'), ('Social researcher', 'prof'), ('Principal researcher', 'senior')], ['Crime', 'Education', 'Employment', 'Health'],
     'A degree with social research methods.'),
    ('statistics', 'Statistics', 'produces official statistics and statistical analysis that people can trust',
     ['Statistical production: Produce official statistics.', 'Survey and sampling methods: Design samples.', 'Statistical modelling: Build statistical models.', 'Data quality: Assure data quality.', 'Statistical disclosure control: Protect confidentiality.', 'Presenting statistics: Present statistics clearly.', 'Code of Practice for Statistics: Apply the Code.', 'Programming for statistics: Use code for statistics.', 'Administrative data: Use administrative data.', 'User engagement: Understand users of statistics.'],
     [('Assistant statistician', 'tech'), ('Statistician', 'prof'), ('Head of statistics', 'senior')], ['Economic statistics', 'Social statistics', 'Health statistics', 'Census'],
     'A degree with at least 60 credits in statistics.'),
    ('tax', 'Tax', 'designs, administers and collects taxes fairly and efficiently',
     ['Tax technical knowledge: Know the tax rules.', 'Tax compliance: Check people and businesses pay the right tax.', 'Tax policy: Design tax policy.', 'Customer engagement in tax: Help people get tax right.', 'Tax investigations: Investigate tax evasion.', 'Tax law: Apply tax legislation.', 'Risk profiling: Identify tax risks.', 'Debt management: Collect tax debts.', 'International tax: Apply international tax rules.', 'Tax accounting: Understand accounts for tax.'],
     [('Tax officer', 'ops'), ('Tax inspector', 'prof'), ('Tax specialist', 'prof'), ('Tax policy adviser', 'prof')], ['Income tax', 'VAT', 'Corporation tax', 'Customs', 'Inheritance tax'],
     'The Tax Professional Development Programme, CTA or ATT is desirable.'),
    ('veterinary', 'Veterinary', 'protects animal health and welfare, public health and trade',
     ['Animal health: Protect animal health.', 'Animal welfare: Protect animal welfare.', 'Disease control: Control animal diseases.', 'Veterinary public health: Protect people from animal-borne disease.', 'Epidemiology for veterinary work: Study disease patterns.', 'Import and export controls: Check trade in animals.', 'Veterinary inspection: Inspect premises.', 'Veterinary policy: Advise on policy.', 'Emergency response: Respond to outbreaks.', 'Veterinary law: Apply veterinary legislation.'],
     [('Veterinary officer', 'prof'), ('Animal health officer', 'ops')], ['Disease control', 'Trade', 'Welfare'],
     'Membership of the Royal College of Veterinary Surgeons.'),
]

# Ladders: (title pattern, lowest grade, highest grade). {r} is the role name as it
# reads mid-sentence, {R} as it reads at the start.
LADDERS = {
    'tech': [('Associate {r}', 'EO', 'EO'), ('Junior {r}', 'HEO', 'HEO'), ('{R}', 'SEO', 'SEO'),
             ('Senior {r}', 'G7', 'G7'), ('Lead {r}', 'G6', 'G6')],
    'arch': [('{R}', 'SEO', 'SEO'), ('Senior {r}', 'G7', 'G7'), ('Lead {r}', 'G6', 'G6'),
             ('Principal {r}', 'SCS1', 'SCS1')],
    'ops': [('{R}', 'AA', 'AO'), ('Senior {r}', 'EO', 'EO'), ('{R} team leader', 'HEO', 'HEO'),
            ('{R} manager', 'SEO', 'G7')],
    'manager': [('Assistant {r}', 'HEO', 'HEO'), ('{R}', 'SEO', 'SEO'), ('Senior {r}', 'G7', 'G7'),
                ('Head of operations', 'G6', 'G6')],
    'senior': [('Deputy {r}', 'SCS1', 'SCS1'), ('{R}', 'SCS2', 'SCS2'), ('{R} general', 'SCS3', 'SCS3')],
    'policy': [('Assistant {r}', 'EO', 'EO'), ('{R}', 'HEO', 'SEO'), ('Senior {r}', 'G7', 'G7'),
               ('Lead {r}', 'G6', 'G6'), ('Deputy director, {r}', 'SCS1', 'SCS1')],
    'fin': [('Assistant {r}', 'EO', 'EO'), ('{R}', 'HEO', 'SEO'), ('Senior {r}', 'G7', 'G7'),
            ('Head of {r}', 'G6', 'SCS1')],
    'hr': [('Assistant {r}', 'EO', 'EO'), ('{R}', 'HEO', 'SEO'), ('Senior {r}', 'G7', 'G7'),
           ('Head of {r}', 'G6', 'SCS1')],
    'prof': [('Trainee {r}', 'EO', 'HEO'), ('{R}', 'SEO', 'SEO'), ('Senior {r}', 'G7', 'G7'),
             ('Principal {r}', 'G6', 'G6')],
    'legal': [('Trainee {r}', 'HEO', 'SEO'), ('{R}', 'G7', 'G7'), ('Senior {r}', 'G6', 'G6'),
              ('Deputy director, {r}', 'SCS1', 'SCS1')],
}

# Every profession also has a support role (AA to EO) and a head of profession ladder
# (SCS), so that each grade has somewhere to sit in each profession.
SUPPORT_LADDER = [('{R} assistant', 'AA', 'AA'), ('{R} officer', 'AO', 'AO'),
                  ('{R} team leader', 'EO', 'EO')]
HEAD_LADDER = [('Deputy director, {r}', 'SCS1', 'SCS1'), ('Director, {r}', 'SCS2', 'SCS2'),
               ('Director general, {r}', 'SCS3', 'SCS3')]

SKILL_LEVEL_BY_GRADE = {'AA': 1, 'AO': 1, 'EO': 1, 'HEO': 2, 'SEO': 2, 'G7': 3, 'G6': 3,
                        'SCS1': 4, 'SCS2': 4, 'SCS3': 4}
BEHAVIOUR_LEVEL_BY_GRADE = {'AA': 1, 'AO': 1, 'EO': 2, 'HEO': 3, 'SEO': 3, 'G7': 4, 'G6': 4,
                            'SCS1': 5, 'SCS2': 6, 'SCS3': 6}
DEFAULT_BEHAVIOURS = ['Seeing the Big Picture', 'Making Effective Decisions',
                      'Working Together', 'Delivering at Pace']


def light_descriptors(title):
    topic = lower_first(title)
    return [
        f'You know what {topic} involves and why it matters, and can explain the basics.',
        f'You apply {topic} to routine work with some guidance and know when to ask for help.',
        f'You apply {topic} on your own to complex work and help others to improve.',
        f'You lead {topic} across teams or organisations, set standards and are sought out for advice.',
    ]


def write_csv(path, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator='\n')
    for row in rows:
        writer.writerow(row)
    with open(path, 'w', encoding='utf-8', newline='') as f:
        f.write(buffer.getvalue())


def framework_rows(code, name, clusters):
    fid = uid('framework', code)
    description = (f'The skills of the {name} profession, each described at four levels: '
                   'Awareness, Working, Practitioner and Expert.')
    rows = [['type', 'id', 'parent', 'order', 'level', 'title', 'text', 'polarity', 'tags'],
            ['framework', fid, '', '1', '', f'{name}: career framework', description, 'career',
             'published']]
    for grade in GRADES:
        rows.append(['grade', '', '', '', str(SKILL_LEVEL_BY_GRADE[grade]), grade, '', '', ''])
    number = 0
    for c, (ctitle, skills) in enumerate(clusters, start=1):
        cid = uid('cluster', code, ctitle)
        rows.append(['cluster', cid, fid, str(c), '', ctitle, '', '', ''])
        for title, description, levels in skills:
            number += 1
            iid = uid('item', code, title)
            rows.append(['item', iid, cid, str(number), '', title, description, '', ''])
            for level, text in enumerate(levels, start=1):
                rows.append(['level', '', iid, '', str(level), LEVEL_NAMES[level - 1], text, '', ''])
    return rows


def level_requirements(skills, behaviours, grade_min, position):
    expected = SKILL_LEVEL_BY_GRADE[grade_min]
    rows = []
    for title, weight in skills:
        bump = 1 if weight >= 8 and position > 1 else (-1 if weight <= 3 else 0)
        rows.append(('skill', title, max(1, min(4, expected + bump)), weight))
    for title in behaviours:
        rows.append(('behaviour', title, BEHAVIOUR_LEVEL_BY_GRADE[grade_min], 5))
    return rows


def experience(role, position, count):
    r = lower_first(role)
    if position == 1:
        return [f'An interest in the work of a {r} and a willingness to learn.']
    if position == count:
        return [f'Substantial experience as a {r} or in a similar role at a senior level.',
                'Experience of leading teams and of building capability in others.']
    return [f'Experience of working as a {r}, or in a similar role, at the level below.',
            'Evidence of the skills this level requires, applied in real work.']


def qualifications(by_position, position):
    chosen = []
    for p in sorted(by_position):
        if position >= p:
            chosen = by_position[p]
    return chosen


def main():
    os.makedirs(OUT, exist_ok=True)
    prof_rows = [['type', 'code', 'parent', 'name', 'text', 'grade_min', 'grade_max', 'level',
                  'weight']]
    totals = {}

    def add_role(profession, family_code, role_name, description, ladder, skills, behaviours,
                 quals, specialism=None, display=None):
        full = display or role_name
        if specialism:
            full = f'{full} ({lower_first(specialism)})'
        role_code = f'{family_code}.{slug(full)}'
        prof_rows.append(['role', role_code, family_code, full, description, '', '', '', ''])
        for position, (pattern, gmin, gmax) in enumerate(ladder, start=1):
            title = pattern.replace('{r}', lower_first(role_name)).replace('{R}', role_name)
            if specialism:
                title = f'{title} ({lower_first(specialism)})'
            code = f'{role_code}.{position}'
            prof_rows.append(['level', code, role_code, title, '', gmin, gmax, '', ''])
            for text in experience(role_name, position, len(ladder)):
                prof_rows.append(['experience', '', code, '', text, '', '', '', ''])
            for text in qualifications(quals, position):
                prof_rows.append(['qualification', '', code, '', text, '', '', '', ''])
            for kind, title_, level, weight in level_requirements(skills, behaviours, gmin, position):
                prof_rows.append(['requirement', kind, code, title_, '', '', '', str(level),
                                  str(weight)])
            totals[profession] = totals.get(profession, 0) + 1

    for rich in RICH:
        code, name = rich['code'], rich['name']
        write_csv(os.path.join(OUT, f'{code}.csv'), framework_rows(code, name, rich['clusters']))
        prof_rows.append(['profession', code, '', name, rich['description'], '', '', '', ''])
        prof_rows.append(['induction', '', code, '', rich['induction'], '', '', '', ''])
        all_skills = [s[0] for _, skills in rich['clusters'] for s in skills]
        for family_name, roles in rich['families']:
            family_code = f'{code}.{slug(family_name)}'
            prof_rows.append(['family', family_code, code, family_name, '', '', '', '', ''])
            for role_name, description, ladder, skills, behaviours in roles:
                for skill, _ in skills:
                    assert skill in all_skills, (code, skill)
                specialisms = [None] if ladder == 'senior' else rich['specialisms']
                for specialism in specialisms:
                    add_role(code, family_code, role_name, description, LADDERS[ladder], skills,
                             behaviours, rich['qualifications'], specialism)
        add_common_roles(add_role, prof_rows, code, name, [(all_skills[0], 6), (all_skills[1], 4)],
                         rich['qualifications'])

    for code, name, does, skills, roles, specialisms, qualification in LIGHT:
        parsed = [s.split(': ', 1) for s in skills]
        clusters = [(f'{name} skills', [(t, d, light_descriptors(t)) for t, d in parsed[:5]]),
                    (f'Working as a {lower_first(name)} professional',
                     [(t, d, light_descriptors(t)) for t, d in parsed[5:]])]
        write_csv(os.path.join(OUT, f'{code}.csv'), framework_rows(code, name, clusters))
        description = (f'The {name} profession {does}. Its members work across departments '
                       'and share standards, learning and a career framework.')
        induction = (f'Welcome to the {name} profession. In your first weeks, meet your head of '
                     f'profession\'s team, read the {name} career framework and agree with your '
                     'line manager which skills to assess first.\n\n'
                     'Join the profession\'s network to find a mentor and hear about events, '
                     'learning and vacancies across government.')
        prof_rows.append(['profession', code, '', name, description, '', '', '', ''])
        prof_rows.append(['induction', '', code, '', induction, '', '', '', ''])
        family_code = f'{code}.practice'
        prof_rows.append(['family', family_code, code, f'{name} practice', '', '', '', '', ''])
        titles = [t for t, _ in parsed]
        quals = {2: [qualification]}
        for i, (role_name, ladder) in enumerate(roles):
            main = [(titles[(i * 3 + k) % len(titles)], w) for k, w in enumerate((10, 7, 5, 3))]
            behaviours = [DEFAULT_BEHAVIOURS[(i + k) % 4] for k in range(3)]
            description = f'A {lower_first(role_name)} in the {name} profession.'
            for specialism in ([None] if ladder == 'senior' else specialisms):
                add_role(code, family_code, role_name, description, LADDERS[ladder], main,
                         behaviours, quals, specialism)
        add_common_roles(add_role, prof_rows, code, name, [(titles[0], 6), (titles[1], 4)], quals)

    write_csv(os.path.join(OUT, 'professions.csv'), prof_rows)
    print(f'{len(totals)} professions, {sum(totals.values())} role levels')
    for code, count in totals.items():
        print(f'  {code}: {count}')


def add_common_roles(add_role, prof_rows, code, name, skills, quals):
    family_code = f'{code}.leadership-and-support'
    prof_rows.append(['family', family_code, code, f'{name} leadership and support', '', '', '',
                      '', ''])
    add_role(code, family_code, f'{name} support', f'Supports the work of the {name} profession.',
             SUPPORT_LADDER, skills,
             ['Managing a Quality Service', 'Working Together', 'Delivering at Pace'], {})
    add_role(code, family_code, name, f'Leads {name} work across a department or government.',
             HEAD_LADDER, [(s, 10) for s, _ in skills],
             ['Leadership', 'Seeing the Big Picture', 'Making Effective Decisions'], quals,
             display=f'Head of {lower_first(name)}')


def slug(text):
    out = []
    for ch in text.lower():
        if ch.isalnum():
            out.append(ch)
        elif out and out[-1] != '-':
            out.append('-')
    return ''.join(out).strip('-')


if __name__ == '__main__':
    main()
